/**
 * The request a handler is given: method, undecoded path and query, headers, the peer's
 * address, and a body reader bounded by the caller's limit (one read per body). Also an
 * adapter from a web `Request`, for handlers tested without a socket.
 */
import { errorMessage } from "../../error_message.ts";
import { HttpError } from "./errors.ts";

/** One parsed HTTP request with a bounded body reader. */
export interface HttpRequest {
  /** The request method, as sent. */
  method: string;
  /** The path of the target, as sent (not percent-decoded). */
  path: string;
  /** The query string without `?`; "" when none. */
  query: string;
  /** The request headers. */
  headers: Headers;
  /** The peer as `ip:port`; "" when unknown. */
  remote: string;
  /**
   * The raw body (still content-encoded), at most `limit` bytes; throws {@link HttpError}
   * 413 when larger (without reading it whole), 400 when truncated. Call it once.
   */
  bytes(limit: number): Promise<Uint8Array>;
}

/** A handler: answers one request; a thrown {@link HttpError} is answered as plain text. */
export type HttpHandler = (request: HttpRequest) => Response | Promise<Response>;

/** The 413 of a body over `limit` bytes. */
export function tooLarge(limit: number, what = "Request body"): HttpError {
  return new HttpError(413, `${what} is larger than the limit of ${limit} bytes`);
}

/** Splits a request target into path and query. */
export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf("?");
  let path = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? "" : target.slice(q + 1);
  if (/^https?:\/\//i.test(path)) path = path.replace(/^https?:\/\/[^/]*/i, "") || "/";
  return { path, query };
}

async function readStream(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(limit);
      }
      parts.push(value);
    }
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, `Cannot read the request body: ${errorMessage(e)}`);
  } finally {
    reader.releaseLock();
  }
  return concat(parts, total);
}

/** Joins byte arrays of `total` bytes into one. */
export function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** An {@link HttpRequest} over a web `Request` (tests, or a `Deno.serve` handler). */
export function fromWebRequest(request: Request, remote = ""): HttpRequest {
  const url = new URL(request.url);
  let used = false;
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ""),
    headers: request.headers,
    remote,
    bytes(limit: number): Promise<Uint8Array> {
      if (used) return Promise.reject(new Error("The request body was already read"));
      used = true;
      const declared = Number(request.headers.get("content-length") ?? "");
      if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
      if (request.body === null) return Promise.resolve(new Uint8Array(0));
      return readStream(request.body, limit);
    },
  };
}
