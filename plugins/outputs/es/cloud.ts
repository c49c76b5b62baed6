/**
 * Elastic Cloud settings: `cloud_id` (`name:base64(region$es_host[:port]$kibana_host)`)
 * gives the host `es_host.region` and its port (443 by default, over TLS); `cloud_auth`
 * (`user:password`) gives Basic credentials.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const id = "my-deploy:" + btoa("eu-west-1.aws.found.io$abc123$kib456");
 * assertEquals(parseCloudId(id), { host: "abc123.eu-west-1.aws.found.io", port: 443 });
 * assertEquals(parseCloudAuth("elastic:pa:ss"), ["elastic", "pa:ss"]);
 * ```
 */

/** Host and port of a cloud ID; throws RangeError when it cannot be read. */
export function parseCloudId(cloudId: string): { host: string; port: number } {
  const colon = cloudId.indexOf(":");
  const refuse = (why: string) =>
    new RangeError(`Cannot use "cloud_id" ${JSON.stringify(cloudId)}: ${why}`);
  if (colon < 0) throw refuse('expected "name:base64"');
  let text: string;
  try {
    text = atob(cloudId.slice(colon + 1));
  } catch {
    throw refuse("the part after the colon is not base64");
  }
  const [region, esHost] = text.split("$");
  if (!region || !esHost) throw refuse('expected "region$host$kibana" inside the base64');
  const [host, port] = esHost.split(":");
  const n = port === undefined || port === "" ? 443 : Number(port);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw refuse(`bad port ${JSON.stringify(port)}`);
  return { host: `${host}.${region}`, port: n };
}

/** User and password of `cloud_auth` (split at the first colon). */
export function parseCloudAuth(auth: string): [string, string] {
  const i = auth.indexOf(":");
  return i < 0 ? [auth, ""] : [auth.slice(0, i), auth.slice(i + 1)];
}
