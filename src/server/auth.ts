/**
 * The monitoring server's token (`http_server.token`): reading metrics needs none, but a
 * request that changes something (any method but GET and HEAD: the reload) or shows records
 * (the tap, `always`) must carry `Authorization: Bearer <token>` when a token is set.
 */
import { authorized } from "../net/http_server/mod.ts";
import { jsonResponse } from "./responses.ts";

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
  if (authorized(req.headers, { bearerToken: token })) return undefined;
  const auth = req.headers.get("authorization");
  const res = jsonResponse({
    status: "error",
    message: auth
      ? "Unauthorized: the bearer token does not match http_server.token"
      : "Unauthorized: this endpoint needs Authorization: Bearer <http_server.token>",
  }, 401);
  res.headers.set("www-authenticate", 'Bearer realm="sluice"');
  return res;
}
