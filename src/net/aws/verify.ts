/**
 * The server's half of SigV4: recompute the signature of a received request from its
 * `Authorization` header and a known secret. Local receivers that stand in for AWS services
 * in tests use it, so a wrongly signed request fails the test as it would fail at AWS.
 */
import { canonicalRequest, type PathRules } from "./canonical.ts";
import { sha256Hex, signature, stringToSign } from "./sigv4.ts";

/** A request as a server received it. */
export interface ReceivedRequest {
  /** The method. */
  method: string;
  /** The request target as sent: path and query. */
  target: string;
  /** The received headers. */
  headers: Headers;
  /** The received body. */
  body: Uint8Array;
}

/** What a check found. */
export type Verdict =
  | { ok: true; accessKeyId: string; region: string; service: string; signedHeaders: string[] }
  | {
    ok: false;
    /** AWS's error code: MissingAuthenticationToken, UnrecognizedClientException, … */
    code: string;
    /** Why, in AWS's words where it has them. */
    message: string;
  };

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

/**
 * Checks the signature of `req`: the key must be known to `secretOf`, the signed headers
 * must include host and x-amz-date, the date must match the scope and the signature must be
 * the one recomputed. S3 receivers pass `{ normalizePath: false, uriEscapePath: false }`.
 */
export async function verifySignature(
  req: ReceivedRequest,
  secretOf: (accessKeyId: string) => string | undefined,
  rules: PathRules = {},
): Promise<Verdict> {
  const auth = req.headers.get("authorization");
  if (!auth) {
    return {
      ok: false,
      code: "MissingAuthenticationToken",
      message: "Missing Authentication Token",
    };
  }
  const m = AUTH.exec(auth.trim());
  if (!m) {
    return {
      ok: false,
      code: "IncompleteSignatureException",
      message: `Bad Authorization: ${auth}`,
    };
  }
  const [, accessKeyId, day, region, service, signedList, given] = m as unknown as string[];
  const secret = secretOf(accessKeyId!);
  if (secret === undefined) {
    return {
      ok: false,
      code: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    };
  }
  const signed = signedList!.split(";");
  const stamp = req.headers.get("x-amz-date") ?? "";
  if (!signed.includes("host") || !signed.includes("x-amz-date") || !stamp.startsWith(day!)) {
    return {
      ok: false,
      code: "IncompleteSignatureException",
      message: "Host and X-Amz-Date must be signed, and the date must match the scope",
    };
  }
  const headers: [string, string][] = signed.map((n) => [n, req.headers.get(n) ?? ""]);
  const q = req.target.indexOf("?");
  const payloadHash = req.headers.get("x-amz-content-sha256") ?? await sha256Hex(req.body);
  if (payloadHash !== "UNSIGNED-PAYLOAD" && payloadHash !== await sha256Hex(req.body)) {
    return {
      ok: false,
      code: "XAmzContentSHA256Mismatch",
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    };
  }
  const { text } = canonicalRequest({
    method: req.method,
    path: q < 0 ? req.target : req.target.slice(0, q),
    query: q < 0 ? "" : req.target.slice(q + 1),
    headers,
    payloadHash,
  }, rules);
  const scope = `${day}/${region}/${service}/aws4_request`;
  const expected = await signature(await stringToSign(text, stamp, scope), secret, {
    day: day!,
    region: region!,
    service: service!,
  });
  if (expected !== given) {
    return {
      ok: false,
      code: "InvalidSignatureException",
      message: "The request signature we calculated does not match the signature you provided. " +
        "Check your AWS Secret Access Key and signing method.",
    };
  }
  return {
    ok: true,
    accessKeyId: accessKeyId!,
    region: region!,
    service: service!,
    signedHeaders: signed,
  };
}
