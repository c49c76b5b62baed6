/**
 * Credentials from the metadata services: the ECS/EKS container endpoint
 * (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`, with
 * `AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]`) and EC2 instance metadata, IMDSv2 (a session
 * token from `PUT /latest/api/token`, then the role's keys).
 */
import type { AwsCredentials } from "./sigv4.ts";
import type { CredentialSource, Env } from "./provider.ts";
import { answerText, type EndpointClients } from "./endpoint_client.ts";

const ECS_HOST = "http://169.254.170.2";
const IMDS_ENDPOINT = "http://169.254.169.254";
const ROLE_PATH = "/latest/meta-data/iam/security-credentials/";

/** The credentials in a metadata JSON answer (`AccessKeyId`, `SecretAccessKey`, `Token`, …). */
export function parseMetadataCredentials(text: string, from: string): AwsCredentials {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${from} answered something that is not JSON: ${text.slice(0, 200)}`);
  }
  const { AccessKeyId, SecretAccessKey, Token, Expiration, Code } = doc;
  if (typeof Code === "string" && Code !== "Success") {
    throw new Error(`${from} answered Code ${JSON.stringify(Code)}`);
  }
  if (typeof AccessKeyId !== "string" || typeof SecretAccessKey !== "string") {
    throw new Error(`${from} answered JSON without AccessKeyId and SecretAccessKey`);
  }
  const out: AwsCredentials = { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey };
  if (typeof Token === "string" && Token !== "") out.sessionToken = Token;
  if (typeof Expiration === "string") {
    const at = new Date(Expiration);
    if (!Number.isNaN(at.getTime())) out.expiration = at;
  }
  return out;
}

function isAllowedFullUri(url: URL): boolean {
  if (url.protocol === "https:") return true;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || /^127\./.test(host) || host === "::1" ||
    host === "169.254.170.2" || host === "169.254.170.23" || host === "fd00:ec2::23";
}

/**
 * The ECS container source: undefined unless `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or
 * `_FULL_URI` is set. A plain-HTTP full URI must name a loopback or the ECS/EKS host.
 */
export function ecsProvider(opts: { env: Env; clients: EndpointClients }): CredentialSource {
  return async () => {
    const relative = opts.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const full = opts.env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (!relative && !full) return undefined;
    const url = new URL(relative ? `${ECS_HOST}${relative}` : full!);
    if (!relative && !isAllowedFullUri(url)) {
      throw new Error(
        `AWS_CONTAINER_CREDENTIALS_FULL_URI ${url.href} must use https or a loopback host`,
      );
    }
    const headers: Record<string, string> = { Accept: "application/json" };
    const tokenFile = opts.env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    const token = tokenFile
      ? (await Deno.readTextFile(tokenFile)).trim()
      : opts.env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    if (token) headers.Authorization = token;
    const answer = await opts.clients.send(url, {
      headers,
      connectTimeoutMs: 2000,
      responseTimeoutMs: 5000,
    });
    if (answer.status !== 200) {
      throw new Error(`${url.href} answered HTTP ${answer.status}: ${answerText(answer)}`);
    }
    return parseMetadataCredentials(answerText(answer), url.href);
  };
}

/**
 * The EC2 instance metadata source (IMDSv2): undefined when `AWS_EC2_METADATA_DISABLED` is
 * `true`. The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT` (tests point it at a local
 * server), else `http://169.254.169.254`.
 */
export function imdsProvider(opts: { env: Env; clients: EndpointClients }): CredentialSource {
  return async () => {
    if ((opts.env("AWS_EC2_METADATA_DISABLED") ?? "").toLowerCase() === "true") return undefined;
    const base = (opts.env("AWS_EC2_METADATA_SERVICE_ENDPOINT") || IMDS_ENDPOINT).replace(
      /\/+$/,
      "",
    );
    const timeouts = { connectTimeoutMs: 1000, responseTimeoutMs: 2000 };
    const tokenAnswer = await opts.clients.send(new URL(`${base}/latest/api/token`), {
      method: "PUT",
      headers: { "X-aws-ec2-metadata-token-ttl-seconds": "21600" },
      ...timeouts,
    });
    if (tokenAnswer.status !== 200) {
      throw new Error(`IMDS token request answered HTTP ${tokenAnswer.status}`);
    }
    const headers = { "X-aws-ec2-metadata-token": answerText(tokenAnswer).trim() };
    const roleAnswer = await opts.clients.send(new URL(`${base}${ROLE_PATH}`), {
      headers,
      ...timeouts,
    });
    if (roleAnswer.status === 404) return undefined; // an instance without a role
    if (roleAnswer.status !== 200) {
      throw new Error(`IMDS role request answered HTTP ${roleAnswer.status}`);
    }
    const role = answerText(roleAnswer).split("\n")[0]?.trim();
    if (!role) return undefined;
    const url = new URL(`${base}${ROLE_PATH}${encodeURIComponent(role)}`);
    const answer = await opts.clients.send(url, { headers, ...timeouts });
    if (answer.status !== 200) {
      throw new Error(`IMDS credentials of role ${role} answered HTTP ${answer.status}`);
    }
    return parseMetadataCredentials(answerText(answer), `IMDS role ${role}`);
  };
}
