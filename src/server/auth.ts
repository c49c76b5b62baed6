/**
 * The monitoring server's token (`http_server.token`): reading metrics needs none, but a
 * request that changes something (any method but GET and HEAD: the reload) or shows records
 * (the tap, `always`) must carry `Authorization: Bearer <token>` when a token is set.
 */
import { jsonResponse } from "./responses.ts";

const encoder = new TextEncoder();

/** Compares in time independent of where the strings differ. */
function sameSecret(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ (y[i % Math.max(1, y.length)] ?? 0);
  return diff === 0;
}

/**
 * Undefined when `req` may go on; a 401 when a token is set and a writing request lacks it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const post = (auth?: string) => ({
 *   method: "POST",
 *   headers: new Headers(auth ? { authorization: auth } : {}),
 * });
 * assertEquals(checkToken(post(), "s3cret")?.status, 401);
 * assertEquals(checkToken(post("Bearer s3cret"), "s3cret"), undefined);
 * assertEquals(checkToken({ method: "GET", headers: new Headers() }, "s3cret"), undefined);
 * assertEquals(checkToken(post(), undefined), undefined);
 * ```
 */
export function checkToken(
  req: { method: string; headers: Headers },
  token: string | undefined,
  options: { always?: boolean } = {},
): Response | undefined {
  if (!token) return undefined;
  if (!options.always && (req.method === "GET" || req.method === "HEAD")) return undefined;
  const auth = req.headers.get("authorization") ?? "";
  const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
  if (m && sameSecret(m[1]!, token)) return undefined;
  const res = jsonResponse({
    status: "error",
    message: auth
      ? "Unauthorized: the bearer token does not match http_server.token"
      : "Unauthorized: this endpoint needs Authorization: Bearer <http_server.token>",
  }, 401);
  res.headers.set("www-authenticate", 'Bearer realm="sluice"');
  return res;
}
