/** Writing a web `Response` as an HTTP/1.1 response on a connection, in one or two writes. */
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
  options: { bodyLength: number; close: boolean },
): Uint8Array {
  const status = res.status;
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? res.statusText ?? "Unknown"}\r\n`;
  res.headers.forEach((value, name) => {
    if (!SKIP.has(name)) head += `${name}: ${value}\r\n`;
  });
  if (status !== 204 && status !== 304 && status >= 200) {
    head += `content-length: ${options.bodyLength}\r\n`;
  }
  if (options.close) head += "connection: close\r\n";
  return encoder.encode(head + "\r\n");
}

/** Writes `res` (its body read whole); `head` true omits the body (a HEAD request). */
export async function writeResponse(
  io: ConnReader,
  res: Response,
  options: { close: boolean; head: boolean },
): Promise<void> {
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
