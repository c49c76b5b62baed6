/** The error a handler or body reader throws to have the ingress answer a given status. */

/** A request the ingress refuses: the status to answer and a one-line reason. */
export class HttpError extends Error {
  /** 4xx or 5xx. */
  readonly status: number;
  /** Extra response headers (Retry-After, Allow, WWW-Authenticate). */
  readonly headers: Record<string, string>;

  /** An error answered with `status`, `message` as the body and extra `headers`. */
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.headers = headers;
  }
}

/** A plain-text answer: `message` and a newline, with `headers` added. */
export function textResponse(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(status === 204 ? null : message + "\n", {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

/** The plain-text answer for an {@link HttpError}. */
export function errorResponse(e: HttpError): Response {
  return textResponse(e.status, e.message, e.headers);
}
