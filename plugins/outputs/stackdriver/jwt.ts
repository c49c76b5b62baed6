/**
 * The OAuth2 JWT bearer assertion of a Google service account (RFC 7523): a JWT with the
 * account as issuer, the logging.write scope and the token endpoint as audience, signed
 * RS256 with the account's private key (PKCS#8 PEM) through Web Crypto.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { base64UrlDecode } from "../../../src/net/base64url.ts";
 *
 * const keys = await crypto.subtle.generateKey(
 *   { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
 *   true,
 *   ["sign", "verify"],
 * );
 * const der = new Uint8Array(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
 * const pem = `-----BEGIN PRIVATE KEY-----\n${btoa(String.fromCharCode(...der))}\n-----END PRIVATE KEY-----\n`;
 * const jwt = await serviceAccountJwt({
 *   email: "a@p.iam.gserviceaccount.com",
 *   privateKey: pem,
 *   audience: "https://oauth2.googleapis.com/token",
 *   nowSec: 1_700_000_000,
 * });
 * const [head, body, sig] = jwt.split(".");
 * const ok = await crypto.subtle.verify(
 *   "RSASSA-PKCS1-v1_5",
 *   keys.publicKey,
 *   base64UrlDecode(sig!),
 *   new TextEncoder().encode(`${head}.${body}`),
 * );
 * assertEquals(ok, true);
 * assertEquals(JSON.parse(new TextDecoder().decode(base64UrlDecode(body!))).exp, 1_700_003_600);
 * ```
 */

import { base64UrlDecode, base64UrlEncode } from "../../../src/net/base64url.ts";

/** The scope Fluent Bit asks for. */
export const LOGGING_WRITE_SCOPE = "https://www.googleapis.com/auth/logging.write";

const enc = new TextEncoder();

/** The DER bytes of a PEM `PRIVATE KEY` (PKCS#8); throws TypeError for anything else. */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const text = pem.replaceAll("\\n", "\n");
  const m = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(text);
  if (!m) {
    throw new TypeError(
      "Cannot read the service account private key: expected a PEM " +
        '"-----BEGIN PRIVATE KEY-----" block (PKCS#8)',
    );
  }
  return base64UrlDecode(m[1]!.replace(/\s+/g, ""));
}

/** What an assertion needs. */
export interface JwtClaims {
  email: string;
  privateKey: string;
  audience: string;
  /** Issued-at, epoch seconds; the token asked for lasts an hour. */
  nowSec: number;
  scope?: string;
}

/** A signed JWT assertion for the token endpoint. */
export async function serviceAccountJwt(c: JwtClaims): Promise<string> {
  const key = await crypto.subtle.importKey(
    "pkcs8",
    pemToDer(c.privateKey),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const header = base64UrlEncode(enc.encode(JSON.stringify({ alg: "RS256", typ: "JWT" })));
  const claims = {
    iss: c.email,
    scope: c.scope ?? LOGGING_WRITE_SCOPE,
    aud: c.audience,
    exp: c.nowSec + 3600,
    iat: c.nowSec,
  };
  const body = base64UrlEncode(enc.encode(JSON.stringify(claims)));
  const input = enc.encode(`${header}.${body}`);
  const sig = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, input));
  return `${header}.${body}.${base64UrlEncode(sig)}`;
}
