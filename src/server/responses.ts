/**
 * Response builders with the content types Fluent Bit's monitoring server sends.
 */

/** Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4";

/** A compact JSON response, as Fluent Bit writes it (no pretty printing). */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** A plain-text response. */
export function textResponse(
  body: string,
  status = 200,
  contentType = "text/plain; charset=utf-8",
): Response {
  return new Response(body, { status, headers: { "content-type": contentType } });
}

/** 404 for a path the server does not serve. */
export function notFound(path: string): Response {
  return jsonResponse({ status: "error", message: `Not found: "${path}"` }, 404);
}

/** 405 for a method the endpoint does not accept, naming the accepted ones in `Allow`. */
export function methodNotAllowed(method: string, allow: string[]): Response {
  return new Response(
    JSON.stringify({ status: "error", message: `Method not allowed: "${method}"` }),
    {
      status: 405,
      headers: { "content-type": "application/json", allow: allow.join(", ") },
    },
  );
}
