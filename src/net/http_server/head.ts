/**
 * HTTP/1.1 request heads: finding the end of one in a buffer and parsing the request line
 * and header fields (RFC 9112), strictly enough that body framing cannot be confused
 * (conflicting Content-Length, Content-Length with chunked, unknown transfer codings).
 */

/** A request head the ingress cannot serve, with the status to answer and why. */
export class HeadError extends Error {
  /** 400, 414, 431, 501 or 505. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "HeadError";
    this.status = status;
  }
}

/** How the body of a request is framed. */
export type Framing = { kind: "none" } | { kind: "length"; length: number } | {
  kind: "chunked";
};

/** A parsed request head. */
export interface RequestHead {
  method: string;
  /** The request target as sent (origin form: path and query). */
  target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minor: number;
  headers: Headers;
  framing: Framing;
  /** Whether the connection may serve another request after this one. */
  keepAlive: boolean;
  /** `Expect: 100-continue` was sent. */
  expectContinue: boolean;
}

/**
 * The length of the head at the start of `buf` including its blank line, or -1 when it is
 * not complete yet. Leading empty lines (allowed before a request line) count as part of it.
 */
export function headLength(buf: Uint8Array): number {
  const n = buf.length;
  for (let i = buf.indexOf(10); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) {
    // A line ending at i is empty if it is "\n" or "\r\n" right after the previous LF.
    if (i + 1 < n && buf[i + 1] === 10) return i + 2;
    if (i + 2 < n && buf[i + 1] === 13 && buf[i + 2] === 10) return i + 3;
  }
  return -1;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const decoder = new TextDecoder("latin1");

function parseLength(value: string): number {
  const parts = value.split(",").map((s) => s.trim());
  if (!parts.every((p) => /^\d{1,15}$/.test(p)) || new Set(parts).size !== 1) {
    throw new HeadError(400, `Invalid Content-Length "${value}"`);
  }
  return Number(parts[0]);
}

/** Parses a complete head (as {@link headLength} delimited); throws {@link HeadError}. */
export function parseHead(bytes: Uint8Array): RequestHead {
  const lines = decoder.decode(bytes).split("\n");
  let i = 0;
  while (i < lines.length && (lines[i] === "" || lines[i] === "\r")) i++;
  const requestLine = (lines[i++] ?? "").replace(/\r$/, "");
  const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) HTTP\/1\.(\d)$/.exec(requestLine);
  if (!m) {
    if (/ HTTP\/\d/.test(requestLine) && !/ HTTP\/1\./.test(requestLine)) {
      throw new HeadError(505, "Only HTTP/1.0 and HTTP/1.1 are served");
    }
    throw new HeadError(400, `Invalid request line "${requestLine.slice(0, 80)}"`);
  }
  // The three groups are not optional: the defaults are never taken.
  const [, method = "", target = "", minorText = ""] = m;
  const minor = Number(minorText);
  const headers = new Headers();
  for (; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    if (line === "") break;
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon) : "";
    if (!TOKEN.test(name)) {
      throw new HeadError(400, `Invalid header line "${line.slice(0, 80)}"`);
    }
    try {
      headers.append(name, line.slice(colon + 1).trim());
    } catch {
      throw new HeadError(400, `Invalid value in header "${name}"`);
    }
  }
  const te = headers.get("transfer-encoding");
  const cl = headers.get("content-length");
  let framing: Framing = { kind: "none" };
  if (te !== null) {
    if (cl !== null) {
      throw new HeadError(400, "Content-Length and Transfer-Encoding must not both be sent");
    }
    const codings = te.toLowerCase().split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (codings.length !== 1 || codings[0] !== "chunked") {
      throw new HeadError(501, `Unsupported Transfer-Encoding "${te}": only chunked is served`);
    }
    framing = { kind: "chunked" };
  } else if (cl !== null) {
    const length = parseLength(cl);
    if (length > 0) framing = { kind: "length", length };
  }
  const connection = (headers.get("connection") ?? "").toLowerCase();
  const keepAlive = minor === 1 ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
  const expectContinue = minor === 1 &&
    (headers.get("expect") ?? "").toLowerCase() === "100-continue";
  return { method, target, minor, headers, framing, keepAlive, expectContinue };
}
