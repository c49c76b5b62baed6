/**
 * Base64url (RFC 4648 §5), the encoding of JWT parts: {@link base64UrlEncode} without
 * padding, {@link base64UrlDecode} taking either alphabet, padded or not.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const bytes = new Uint8Array([0xfb, 0xff, 0xbf, 0x01]);
 * assertEquals(base64UrlEncode(bytes), "-_-_AQ");
 * assertEquals([...base64UrlDecode("-_-_AQ")], [...bytes]);
 * assertEquals([...base64UrlDecode("+/+/AQ==")], [...bytes]);
 * ```
 */

/** Base64url of `bytes`, without padding. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The bytes of base64url (or base64) text; throws DOMException for other characters. */
export function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replaceAll("-", "+").replaceAll("_", "/").replace(/=+$/, "");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
