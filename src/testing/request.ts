/** Requests for tests of in-process HTTP handlers (no socket). */

/**
 * A POST to `path` on 127.0.0.1:4318, protobuf unless `headers` say otherwise.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const req = post("/v1/logs", "{}", { "content-type": "application/json" });
 * assertEquals([req.method, req.url, await req.text()], [
 *   "POST",
 *   "http://127.0.0.1:4318/v1/logs",
 *   "{}",
 * ]);
 * ```
 */
export function post(
  path: string,
  body: BodyInit | Uint8Array | string,
  headers: Record<string, string> = { "content-type": "application/x-protobuf" },
): Request {
  return new Request(`http://127.0.0.1:4318${path}`, {
    method: "POST",
    body: body as BodyInit,
    headers,
  });
}
