/**
 * The fixed headers of a client: the `header` option's `Name value` pairs, Basic
 * authentication (UTF-8 safe), and host names as they go into URLs and `Host`.
 */

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Splits one `header` value into name and value: `Name value`, or `Name: value` as many
 * configs write it. Throws SyntaxError when the name is not an HTTP token.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * assertEquals(parseHeader("X-Team  core team"), ["X-Team", "core team"]);
 * assertEquals(parseHeader("X-Env: prod"), ["X-Env", "prod"]);
 * ```
 */
export function parseHeader(raw: string, key = "header"): [string, string] {
  const m = /^\s*([^\s:]+)(?:\s*:\s*|\s+)(.*?)\s*$/s.exec(raw.trimEnd());
  if (!m || !TOKEN.test(m[1])) {
    throw new SyntaxError(`Cannot parse "${key}" ${JSON.stringify(raw)}: expected "Name value"`);
  }
  if (/[\r\n\0]/.test(m[2])) {
    throw new SyntaxError(
      `Cannot parse "${key}" ${JSON.stringify(raw)}: a header value cannot hold a line break`,
    );
  }
  return [m[1], m[2]];
}

/** The `Authorization` value for Basic authentication; user and password as UTF-8. */
export function basicAuth(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return `Basic ${btoa(binary)}`;
}

/** `host` as it goes into a URL or a Host header: an IPv6 address in brackets. */
export function urlHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** `host` without the brackets of an IPv6 literal, as sockets take it. */
export function socketHost(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** `path` with a leading slash. */
export function normalizePath(path: string): string {
  return path.startsWith("/") ? path : `/${path}`;
}
