/**
 * The {@link HttpRequest} of one request on a connection: its body is read on demand,
 * with the handler's limit checked against Content-Length before reading and against the
 * running total of a chunked body while reading, so an oversize body is never buffered.
 */
import { HttpError } from "./errors.ts";
import type { RequestHead } from "./head.ts";
import { ClosedError, type ConnReader, TimeoutError } from "./reader.ts";
import { concat, type HttpRequest, splitTarget, tooLarge } from "./request.ts";

const MAX_CHUNK_LINE = 4096;
const MAX_TRAILERS = 16 * 1024;

/** A request read from a connection. */
export class ConnRequest implements HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Headers;
  readonly remote: string;
  #io: ConnReader;
  #head: RequestHead;
  #beforeBody: () => Promise<void>;
  #read = false;
  /** Body bytes not read: 0 none left, -1 an unknown rest of a chunked body. */
  unread: number;
  /** The connection failed while reading the body: it cannot serve more. */
  broken = false;

  constructor(
    io: ConnReader,
    head: RequestHead,
    options: { remote: string; beforeBody: () => Promise<void> },
  ) {
    this.#io = io;
    this.#head = head;
    this.method = head.method;
    const { path, query } = splitTarget(head.target);
    this.path = path;
    this.query = query;
    this.headers = head.headers;
    this.remote = options.remote;
    this.#beforeBody = options.beforeBody;
    const f = head.framing;
    this.unread = f.kind === "none" ? 0 : f.kind === "length" ? f.length : -1;
  }

  async bytes(limit: number): Promise<Uint8Array> {
    if (this.#read) throw new Error("The request body was already read");
    this.#read = true;
    const f = this.#head.framing;
    if (f.kind === "none") return new Uint8Array(0);
    if (f.kind === "length" && f.length > limit) throw tooLarge(limit);
    try {
      await this.#beforeBody();
      if (f.kind === "length") {
        const body = new Uint8Array(f.length);
        await this.#io.readFull(body);
        this.unread = 0;
        return body;
      }
      return await this.#chunked(limit);
    } catch (e) {
      if (e instanceof HttpError) throw e;
      this.broken = true;
      if (e instanceof TimeoutError) throw e;
      if (e instanceof ClosedError) {
        throw new HttpError(400, `Truncated request body: ${e.message}`);
      }
      throw e;
    }
  }

  /** A line of the chunked framing, without its line ending. */
  async #line(max: number): Promise<string> {
    const io = this.#io;
    while (true) {
      const view = io.view();
      const lf = view.indexOf(10);
      if (lf !== -1) {
        const end = lf > 0 && view[lf - 1] === 13 ? lf - 1 : lf;
        const line = String.fromCharCode(...view.subarray(0, Math.min(end, 256)));
        io.consume(lf + 1);
        return line;
      }
      if (io.buffered >= max) throw new HttpError(400, "Invalid chunked body: line too long");
      if (!await io.fill(Math.max(max, 16 * 1024))) {
        throw new ClosedError("connection closed inside a chunked body");
      }
    }
  }

  async #chunked(limit: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let total = 0;
    while (true) {
      const line = await this.#line(MAX_CHUNK_LINE);
      const m = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
      if (!m) throw this.#bad(`Invalid chunk size line "${line.slice(0, 40)}"`);
      const size = parseInt(m[1]!, 16);
      if (size === 0) break;
      total += size;
      if (total > limit) throw tooLarge(limit);
      const part = new Uint8Array(size);
      await this.#io.readFull(part);
      parts.push(part);
      if ((await this.#line(2)) !== "") throw this.#bad("Invalid chunked body: missing CRLF");
    }
    let trailers = 0;
    while (true) {
      const line = await this.#line(MAX_TRAILERS);
      if (line === "") break;
      trailers += line.length;
      if (trailers > MAX_TRAILERS) throw this.#bad("Chunked body trailers are too large");
    }
    this.unread = 0;
    return concat(parts, total);
  }

  #bad(message: string): HttpError {
    this.broken = true;
    return new HttpError(400, message);
  }
}
