/**
 * Writing a web `Response` as an HTTP/1.1 response on a connection, in one or two writes; a
 * response whose handler set `transfer-encoding: chunked` is streamed as its body produces
 * bytes (a long-lived feed such as `/api/v2/tap`), and the connection closes after it.
 */
import type { ConnReader } from "./reader.ts";

const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  411: "Length Required",
  413: "Request Entity Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

const SKIP = new Set(["content-length", "connection", "transfer-encoding", "keep-alive"]);
const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
/** Bodies up to this size are sent with the head in one write. */
const JOIN_MAX = 64 * 1024;

/** The bytes of a response head. */
export function responseHead(
  res: Response,
  options: { bodyLength: number | "chunked"; close: boolean },
): Uint8Array {
  const status = res.status;
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? res.statusText ?? "Unknown"}\r\n`;
  res.headers.forEach((value, name) => {
    if (!SKIP.has(name)) head += `${name}: ${value}\r\n`;
  });
  if (options.bodyLength === "chunked") head += "transfer-encoding: chunked\r\n";
  else if (status !== 204 && status !== 304 && status >= 200) {
    head += `content-length: ${options.bodyLength}\r\n`;
  }
  if (options.close) head += "connection: close\r\n";
  return encoder.encode(head + "\r\n");
}

/** Heads of {@link staticResponse}s, encoded on first use: [keep-alive, close]. */
const STATIC_HEADS = new WeakMap<Response, (Uint8Array | undefined)[]>();

/**
 * A body-less response a handler answers many times over (a fixed success answer): its
 * head is encoded once, not per request. Its headers must not be changed after.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const ok = staticResponse(201, { "content-type": "application/x-protobuf" });
 * assertEquals([ok.status, ok.body, ok.headers.get("content-type")], [
 *   201,
 *   null,
 *   "application/x-protobuf",
 * ]);
 * ```
 */
export function staticResponse(status: number, headers: Record<string, string>): Response {
  const res = new Response(null, { status, headers });
  STATIC_HEADS.set(res, []);
  return res;
}

/** Writes `res` (its body read whole); `head` true omits the body (a HEAD request). */
export async function writeResponse(
  io: ConnReader,
  res: Response,
  options: { close: boolean; head: boolean },
): Promise<void> {
  const heads = STATIC_HEADS.get(res);
  if (heads !== undefined) {
    const i = options.close ? 1 : 0;
    return await io.write(heads[i] ??= responseHead(res, { bodyLength: 0, close: options.close }));
  }
  if (res.body && !options.head && res.headers.get("transfer-encoding") === "chunked") {
    return await writeStreamed(io, res, res.body);
  }
  const body = res.body === null ? EMPTY : new Uint8Array(await res.arrayBuffer());
  const head = responseHead(res, { bodyLength: body.length, close: options.close });
  if (options.head || body.length === 0) return await io.write(head);
  if (body.length <= JOIN_MAX) {
    const all = new Uint8Array(head.length + body.length);
    all.set(head);
    all.set(body, head.length);
    return await io.write(all);
  }
  await io.write(head);
  await io.write(body);
}

/** Streams `body` in chunked encoding until it ends or the peer goes away (then cancels it). */
async function writeStreamed(
  io: ConnReader,
  res: Response,
  body: ReadableStream<Uint8Array>,
): Promise<void> {
  const reader = body.getReader();
  try {
    await io.write(responseHead(res, { bodyLength: "chunked", close: true }));
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      if (value.length === 0) continue;
      const size = encoder.encode(`${value.length.toString(16)}\r\n`);
      const piece = new Uint8Array(size.length + value.length + 2);
      piece.set(size);
      piece.set(value, size.length);
      piece.set(CRLF, size.length + value.length);
      await io.write(piece);
    }
    await io.write(encoder.encode("0\r\n\r\n"));
  } catch (e) {
    await reader.cancel(e).catch(() => {});
    throw e;
  }
}

const CRLF = encoder.encode("\r\n");
