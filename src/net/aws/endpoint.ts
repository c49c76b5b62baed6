/** The URL of an AWS service endpoint from a region or an `endpoint` option. */

/**
 * `https://<service>.<region>.amazonaws.com` (`.com.cn` in China), or `endpoint` read as a
 * URL (`http://` allowed, for local receivers) or as `host[:port]` over https; `port`
 * replaces the port when given. Throws TypeError for an unreadable endpoint.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * assertEquals(serviceEndpoint("logs", "eu-west-1").href, "https://logs.eu-west-1.amazonaws.com/");
 * assertEquals(serviceEndpoint("logs", "x", "127.0.0.1:4566").href, "https://127.0.0.1:4566/");
 * assertEquals(serviceEndpoint("s3", "x", "http://localhost", 9000).href, "http://localhost:9000/");
 * ```
 */
export function serviceEndpoint(
  service: string,
  region: string,
  endpoint?: string,
  port?: number,
): URL {
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  const text = endpoint?.trim() || `${service}.${region}.${suffix}`;
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`Cannot use endpoint ${JSON.stringify(text)}: expected http or https`);
  }
  if (port !== undefined) url.port = String(port);
  url.pathname = "/";
  url.search = "";
  return url;
}
