/**
 * AWS Signature Version 4 for HTTP requests (header signing), on Web Crypto: the
 * `Authorization`, `X-Amz-Date`, `X-Amz-Security-Token` and, when asked,
 * `X-Amz-Content-Sha256` headers for one request. Checked against AWS's published test
 * suite (testdata/aws-sigv4/, sigv4_test.ts).
 */
import { canonicalRequest, type PathRules } from "./canonical.ts";

/** Keys that sign a request. */
export interface AwsCredentials {
  /** The access key id (`AKIA…`, `ASIA…` for temporary keys). */
  accessKeyId: string;
  /** The secret access key. */
  secretAccessKey: string;
  /** The session token of temporary credentials. */
  sessionToken?: string;
  /** When temporary credentials stop working. */
  expiration?: Date;
}

/** The request to sign. */
export interface SignableRequest {
  /** The HTTP method. */
  method: string;
  /** The URL the request goes to: host, path and query as sent. */
  url: URL;
  /** The headers the request carries (all are signed); Host is added from `url` when absent. */
  headers: Headers | Iterable<[string, string]>;
  /** The body as sent. */
  body: Uint8Array;
}

/** How to sign. */
export interface SignOptions extends PathRules {
  /** The region, as `us-east-1`. */
  region: string;
  /** The signing name of the service: `logs`, `s3`, `es`, `sts`, `aoss`. */
  service: string;
  /** The keys to sign with. */
  credentials: AwsCredentials;
  /** The signing time; now when omitted. */
  now?: Date;
  /** Send (and sign) `X-Amz-Content-Sha256` with the body's hash, as S3 requires. */
  contentSha256Header?: boolean;
  /** Hash `UNSIGNED-PAYLOAD` instead of the body (S3 over TLS only). */
  unsignedPayload?: boolean;
  /** Add `X-Amz-Security-Token` after signing instead of signing it (a few services). */
  omitSessionTokenFromSignature?: boolean;
}

const encoder = new TextEncoder();

/** Hex of `bytes`, lower case. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = "";
  for (const b of view) out += b.toString(16).padStart(2, "0");
  return out;
}

/**
 * The lower-case hex SHA-256 of `data` (a string is hashed as UTF-8).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * assertEquals(
 *   await sha256Hex(""),
 *   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
 * );
 * ```
 */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  return toHex(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

async function hmac(key: Uint8Array | string, data: string): Promise<Uint8Array> {
  const raw = typeof key === "string" ? encoder.encode(key) : key;
  const k = await crypto.subtle.importKey(
    "raw",
    raw as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, encoder.encode(data)));
}

let keyCache: { id: string; key: Uint8Array } | undefined;

/** The derived signing key of `secret` for one day, region and service (cached, one entry). */
export async function signingKey(
  secret: string,
  day: string,
  region: string,
  service: string,
): Promise<Uint8Array> {
  const id = `${secret}\n${day}\n${region}\n${service}`;
  if (keyCache?.id === id) return keyCache.key;
  const kDate = await hmac(`AWS4${secret}`, day);
  const kRegion = await hmac(kDate, region);
  const kService = await hmac(kRegion, service);
  const key = await hmac(kService, "aws4_request");
  keyCache = { id, key };
  return key;
}

/** `20150830T123600Z` for `date`. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
}

/** The string to sign of a canonical request. */
export async function stringToSign(
  canonical: string,
  stamp: string,
  scope: string,
): Promise<string> {
  return `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${await sha256Hex(canonical)}`;
}

/** The hex signature of `text` with `secret` for the scope's day, region and service. */
export async function signature(
  text: string,
  secret: string,
  scope: { day: string; region: string; service: string },
): Promise<string> {
  const key = await signingKey(secret, scope.day, scope.region, scope.service);
  return toHex(await hmac(key, text));
}

/**
 * Signs `request` and returns the headers to send: the request's own, `Host` when it had
 * none, and `X-Amz-Date`, `Authorization`, `X-Amz-Security-Token` (temporary
 * credentials) and `X-Amz-Content-Sha256` (when `contentSha256Header`). An
 * `X-Amz-Date` or `Authorization` already present is replaced.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const headers = await signRequest(
 *   {
 *     method: "GET",
 *     url: new URL("https://example.amazonaws.com/"),
 *     headers: new Headers(),
 *     body: new Uint8Array(),
 *   },
 *   {
 *     region: "us-east-1",
 *     service: "service",
 *     credentials: {
 *       accessKeyId: "AKIDEXAMPLE",
 *       secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
 *     },
 *     now: new Date("2015-08-30T12:36:00Z"),
 *   },
 * );
 * assertEquals(headers.get("x-amz-date"), "20150830T123600Z");
 * assertEquals(
 *   headers.get("authorization"),
 *   "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
 *     "SignedHeaders=host;x-amz-date, " +
 *     "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
 * );
 * ```
 */
export async function signRequest(
  request: SignableRequest,
  opts: SignOptions,
): Promise<Headers> {
  const stamp = amzDate(opts.now ?? new Date());
  const day = stamp.slice(0, 8);
  const creds = opts.credentials;
  const pairs: [string, string][] = [];
  let hasHost = false;
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === "authorization" || lower === "x-amz-date") continue;
    if (lower === "x-amz-security-token" || lower === "x-amz-content-sha256") continue;
    if (lower === "host") hasHost = true;
    pairs.push([name, value]);
  }
  if (!hasHost) pairs.push(["Host", request.url.host]);
  const payloadHash = opts.unsignedPayload ? "UNSIGNED-PAYLOAD" : await sha256Hex(request.body);
  pairs.push(["X-Amz-Date", stamp]);
  if (opts.contentSha256Header) pairs.push(["X-Amz-Content-Sha256", payloadHash]);
  const token = creds.sessionToken;
  if (token && !opts.omitSessionTokenFromSignature) pairs.push(["X-Amz-Security-Token", token]);
  const { text, signed } = canonicalRequest({
    method: request.method,
    path: request.url.pathname,
    query: request.url.search,
    headers: pairs,
    payloadHash,
  }, opts);
  const scope = `${day}/${opts.region}/${opts.service}/aws4_request`;
  const sts = await stringToSign(text, stamp, scope);
  const sig = await signature(sts, creds.secretAccessKey, {
    day,
    region: opts.region,
    service: opts.service,
  });
  const out = new Headers();
  for (const [name, value] of pairs) out.append(name, value);
  if (token && opts.omitSessionTokenFromSignature) out.set("X-Amz-Security-Token", token);
  out.set(
    "Authorization",
    `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signed}, ` +
      `Signature=${sig}`,
  );
  return out;
}
