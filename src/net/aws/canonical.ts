/**
 * The canonical request of AWS Signature Version 4: URI encoding, path normalization,
 * the sorted query, the trimmed and sorted headers. Pure string work, no crypto.
 */

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const encoder = new TextEncoder();

/**
 * URI-encodes `text` the way SigV4 wants it: every byte but `A-Z a-z 0-9 - . _ ~`
 * as `%XY` (upper case); `/` kept when `keepSlash`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * assertEquals(uriEncode("a b/ሴ*", true), "a%20b/%E1%88%B4%2A");
 * assertEquals(uriEncode("a/b"), "a%2Fb");
 * ```
 */
export function uriEncode(text: string, keepSlash = false): string {
  let out = "";
  for (const ch of text) {
    if (UNRESERVED.test(ch) || (keepSlash && ch === "/")) {
      out += ch;
      continue;
    }
    for (const byte of encoder.encode(ch)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return out;
}

/** `path` without `.` and `..` segments and without empty segments; `/` when empty. */
export function normalizeUriPath(path: string): string {
  const out: string[] = [];
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  const trailing = path.length > 1 && path.endsWith("/") && out.length > 0;
  return `/${out.join("/")}${trailing ? "/" : ""}`;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray `%` is signed as the literal it is
  }
}

/**
 * The canonical query string of `search` (`?a=1&b=2` or without `?`): each key and value
 * decoded and encoded again by {@link uriEncode}, sorted by key, then value.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * assertEquals(canonicalQuery("?b=2&a=x%20y&a=1&c"), "a=1&a=x%20y&b=2&c=");
 * ```
 */
export function canonicalQuery(search: string): string {
  const text = search.startsWith("?") ? search.slice(1) : search;
  if (text === "") return "";
  const pairs: [string, string][] = [];
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([uriEncode(decodeComponent(key)), uriEncode(decodeComponent(value))]);
  }
  pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The canonical headers block and the signed header list of `headers`: names lower-cased
 * and sorted, values trimmed with inner runs of white space folded to one space, values of
 * a repeated name joined by `,` in the order given.
 */
export function canonicalHeaders(
  headers: Iterable<[string, string]>,
): { block: string; signed: string } {
  const byName = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const folded = value.trim().replace(/\s+/g, " ");
    const list = byName.get(lower);
    if (list) list.push(folded);
    else byName.set(lower, [folded]);
  }
  const names = [...byName.keys()].sort(compare);
  const block = names.map((n) => `${n}:${byName.get(n)!.join(",")}\n`).join("");
  return { block, signed: names.join(";") };
}

/** The parts a canonical request is made of. */
export interface CanonicalParts {
  /** The HTTP method, upper case. */
  method: string;
  /** The path as sent, before SigV4's encoding. */
  path: string;
  /** The query as sent (with or without its `?`). */
  query: string;
  /** Every header to sign, a name may repeat. */
  headers: Iterable<[string, string]>;
  /** The hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  payloadHash: string;
}

/** How the path goes into a canonical request. */
export interface PathRules {
  /** Remove `.`, `..` and empty segments (every service but S3). Default true. */
  normalizePath?: boolean;
  /** URI-encode the path (again, for a path already encoded on the wire). Default true. */
  uriEscapePath?: boolean;
}

/**
 * The canonical request of `parts`, with the signed header list it names.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const { text, signed } = canonicalRequest({
 *   method: "GET",
 *   path: "/a/../b c",
 *   query: "",
 *   headers: [["Host", "example.com"], ["X-Amz-Date", "20150830T123600Z"]],
 *   payloadHash: "UNSIGNED-PAYLOAD",
 * });
 * assertEquals(signed, "host;x-amz-date");
 * assertEquals(text.split("\n").slice(0, 2), ["GET", "/b%20c"]);
 * ```
 */
export function canonicalRequest(
  parts: CanonicalParts,
  rules: PathRules = {},
): { text: string; signed: string } {
  let path = parts.path === "" ? "/" : parts.path;
  if (rules.normalizePath ?? true) path = normalizeUriPath(path);
  if (rules.uriEscapePath ?? true) path = uriEncode(path, true);
  const { block, signed } = canonicalHeaders(parts.headers);
  const text = [
    parts.method.toUpperCase(),
    path,
    canonicalQuery(parts.query),
    block,
    signed,
    parts.payloadHash,
  ].join("\n");
  return { text, signed };
}
