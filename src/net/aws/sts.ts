/**
 * STS AssumeRole (`role_arn`): a signed `GET /?Version=2011-06-15&Action=AssumeRole&…` as
 * Fluent Bit sends it, with the base credentials, and the temporary keys of the XML answer.
 */
import { PermanentError } from "../../engine/errors.ts";
import type { CredentialProvider, CredentialSource } from "./provider.ts";
import { answerText, type EndpointClients } from "./endpoint_client.ts";
import { type AwsCredentials, signRequest } from "./sigv4.ts";

/** The text of the first `<name>` element of `xml`, entities decoded; undefined when absent. */
export function xmlText(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  if (!m) return undefined;
  return m[1]!.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e === "lt") return "<";
    if (e === "gt") return ">";
    if (e === "amp") return "&";
    if (e === "quot") return '"';
    if (e === "apos") return "'";
    return String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1)));
  }).trim();
}

/**
 * The credentials of an AssumeRole answer.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const xml = "<AssumeRoleResponse><AssumeRoleResult><Credentials>" +
 *   "<AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s</SecretAccessKey>" +
 *   "<SessionToken>t&amp;1</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>" +
 *   "</Credentials></AssumeRoleResult></AssumeRoleResponse>";
 * assertEquals(parseAssumeRole(xml), {
 *   accessKeyId: "ASIA1",
 *   secretAccessKey: "s",
 *   sessionToken: "t&1",
 *   expiration: new Date("2030-01-01T00:00:00Z"),
 * });
 * ```
 */
export function parseAssumeRole(xml: string): AwsCredentials {
  const accessKeyId = xmlText(xml, "AccessKeyId");
  const secretAccessKey = xmlText(xml, "SecretAccessKey");
  const sessionToken = xmlText(xml, "SessionToken");
  const expiration = xmlText(xml, "Expiration");
  if (!accessKeyId || !secretAccessKey || !sessionToken) {
    throw new Error(`STS answered without Credentials: ${xml.slice(0, 200)}`);
  }
  const out: AwsCredentials = { accessKeyId, secretAccessKey, sessionToken };
  if (expiration && !Number.isNaN(Date.parse(expiration))) out.expiration = new Date(expiration);
  return out;
}

/** What {@link assumeRoleProvider} needs. */
export interface AssumeRoleOptions {
  /** Credentials the AssumeRole call is signed with. */
  base: CredentialProvider;
  /** Connections. */
  clients: EndpointClients;
  /** The role to assume. */
  roleArn: string;
  /** The ExternalId the role's trust policy asks for. */
  externalId?: string;
  /** The region; STS's regional endpoint and the signing region. */
  region: string;
  /** STS at this URL instead of `https://sts.<region>.amazonaws.com`. */
  endpoint?: string;
  /** RoleSessionName; `sluice-<time>` when omitted. */
  sessionName?: string;
}

/**
 * The AssumeRole source. An STS refusal (4xx: AccessDenied, a malformed ARN) is a
 * PermanentError carrying STS's message; an expired or unknown base key invalidates the
 * base provider first so the next try fetches it again.
 */
export function assumeRoleProvider(opts: AssumeRoleOptions): CredentialSource {
  const endpoint = (opts.endpoint || `https://sts.${opts.region}.amazonaws.com`).replace(
    /\/+$/,
    "",
  );
  const withScheme = /^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  return async () => {
    const params = new URLSearchParams({
      Version: "2011-06-15",
      Action: "AssumeRole",
      RoleSessionName: opts.sessionName ?? `sluice-${Date.now()}`,
      RoleArn: opts.roleArn,
    });
    if (opts.externalId) params.set("ExternalId", opts.externalId);
    const url = new URL(`${withScheme}/?${params.toString().replace(/\+/g, "%20")}`);
    const credentials = await opts.base.get();
    const body = new Uint8Array();
    const headers = await signRequest({ method: "GET", url, headers: new Headers(), body }, {
      region: opts.region,
      service: "sts",
      credentials,
    });
    const answer = await opts.clients.send(url, { headers, responseTimeoutMs: 10_000 });
    const text = answerText(answer);
    if (answer.status === 200) return parseAssumeRole(text);
    const code = xmlText(text, "Code") ?? `HTTP ${answer.status}`;
    const message = xmlText(text, "Message") ?? text.slice(0, 200);
    if (code === "ExpiredToken" || code === "InvalidClientTokenId") opts.base.invalidate();
    const what = `STS AssumeRole of ${opts.roleArn} failed: ${code}: ${message}`;
    if (answer.status >= 400 && answer.status < 500 && code !== "Throttling") {
      if (code === "ExpiredToken") throw new Error(what);
      throw new PermanentError(what, { status: answer.status });
    }
    throw new Error(what);
  };
}

/** What {@link webIdentityProvider} needs. */
export interface WebIdentityOptions {
  /** Environment lookup (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`). */
  env: (name: string) => string | undefined;
  /** Connections. */
  clients: EndpointClients;
  /** The region of STS's regional endpoint. */
  region: string;
  /** STS at this URL instead of `https://sts.<region>.amazonaws.com`. */
  endpoint?: string;
}

/**
 * EKS IAM roles for service accounts: undefined unless `AWS_WEB_IDENTITY_TOKEN_FILE` and
 * `AWS_ROLE_ARN` are set; else the token file is read (it is rotated) and exchanged by an
 * unsigned `AssumeRoleWithWebIdentity` call for the role's temporary keys.
 */
export function webIdentityProvider(opts: WebIdentityOptions): CredentialSource {
  return async () => {
    const tokenFile = opts.env("AWS_WEB_IDENTITY_TOKEN_FILE");
    const roleArn = opts.env("AWS_ROLE_ARN");
    if (!tokenFile || !roleArn) return undefined;
    const token = (await Deno.readTextFile(tokenFile)).trim();
    const base = (opts.endpoint || `https://sts.${opts.region}.amazonaws.com`).replace(/\/+$/, "");
    const params = new URLSearchParams({
      Version: "2011-06-15",
      Action: "AssumeRoleWithWebIdentity",
      RoleSessionName: opts.env("AWS_ROLE_SESSION_NAME") || `sluice-${Date.now()}`,
      RoleArn: roleArn,
      WebIdentityToken: token,
    });
    const withScheme = /^[a-z]+:\/\//i.test(base) ? base : `https://${base}`;
    const url = new URL(`${withScheme}/?${params.toString().replace(/\+/g, "%20")}`);
    const answer = await opts.clients.send(url, { responseTimeoutMs: 10_000 });
    const text = answerText(answer);
    if (answer.status === 200) return parseAssumeRole(text);
    const code = xmlText(text, "Code") ?? `HTTP ${answer.status}`;
    const what = `STS AssumeRoleWithWebIdentity of ${roleArn} failed: ${code}: ${
      xmlText(text, "Message") ?? text.slice(0, 200)
    }`;
    if (answer.status >= 400 && answer.status < 500 && code !== "Throttling") {
      throw new PermanentError(what, { status: answer.status });
    }
    throw new Error(what);
  };
}
