/**
 * One plain HTTP/1.1 client connection of {@link PlainPool}: writes a request in one go and
 * reads its answer (Content-Length, chunked, or to the end of the stream) through a buffer
 * it keeps. Its timeouts are one lazily re-armed timer per connection, like the ingress
 * reader's: a request sets limits, it does not create a timer.
 */
import type { PlainAnswer } from "./plain_head.ts";
import { findHeadEnd, parseAnswerHead } from "./plain_head.ts";

/** The connection failed before any byte of the answer came: the request may be resent. */
export class StaleConnection extends Error {}

/** How one exchange reads its answer and how long it may take. */
export interface ExchangeOptions {
  /** A HEAD request: the answer has no body. */
  head: boolean;
  readBody: boolean;
  maxBodyBytes: number;
  /** Epoch ms by which the answer must be read (0: none). */
  deadline: number;
  responseTimeoutMs: number;
  /** Longest silence while the exchange waits (0: none). */
  ioTimeoutMs: number;
}

const decoder = new TextDecoder("latin1");
const EMPTY = new Uint8Array(0);

function unref(t: ReturnType<typeof setTimeout>): void {
  if (typeof t === "number") Deno.unrefTimer(t);
  else (t as { unref?: () => void }).unref?.();
}

/** A connection and its read buffer. */
export class PlainConn {
  #conn: Deno.TcpConn;
  #buf = new Uint8Array(16 * 1024);
  #start = 0;
  #end = 0;
  #closed = false;
  /** Why this side closed it (a timeout, the client closing), for the pending exchange. */
  #why: string | undefined;
  /** Bytes of an answer came during the exchange under way. */
  #answered = false;
  #busy = false;
  #deadline = 0;
  #io = 0;
  #active = 0;
  #responseTimeoutMs = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedAt = 0;
  /** Requests answered on it. */
  uses = 0;
  /** When it went back to the pool (epoch ms). */
  idleSince = 0;

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  /** Connects, giving up after `connectTimeoutMs` (0: no limit). */
  static async open(
    hostname: string,
    port: number,
    o: { connectTimeoutMs: number; tcpKeepalive: boolean },
  ): Promise<PlainConn> {
    const host = hostname.replace(/^\[|\]$/g, "");
    const connecting = Deno.connect({ hostname: host, port });
    let conn: Deno.TcpConn;
    if (o.connectTimeoutMs > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no connection within ${o.connectTimeoutMs / 1000} s`)),
          o.connectTimeoutMs,
        );
      });
      try {
        conn = await Promise.race([connecting, late]);
      } catch (e) {
        connecting.then((c) => c.close(), () => {});
        throw e;
      } finally {
        clearTimeout(timer);
      }
    } else conn = await connecting;
    conn.setNoDelay(true);
    if (o.tcpKeepalive) conn.setKeepAlive(true);
    return new PlainConn(conn);
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the connection; a pending exchange fails with `why`. Idempotent. */
  close(why: string): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#busy) this.#why ??= why;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }

  /** Writes `message` and reads the answer; `keepAlive` says whether the connection may be reused. */
  async exchange(
    message: Uint8Array,
    o: ExchangeOptions,
  ): Promise<{ answer: PlainAnswer; keepAlive: boolean }> {
    this.#busy = true;
    this.#answered = false;
    this.#deadline = o.deadline;
    this.#io = o.ioTimeoutMs;
    this.#responseTimeoutMs = o.responseTimeoutMs;
    this.#active = Date.now();
    this.#watch();
    try {
      let at = 0;
      while (at < message.length) at += await this.#conn.write(message.subarray(at));
      let head = await this.#head();
      while (head.status >= 100 && head.status < 200 && head.status !== 101) {
        head = await this.#head(); // 100 Continue and other interim answers
      }
      const bodyless = o.head || head.status === 204 || head.status === 304;
      const chunks: Uint8Array[] = [];
      let kept = 0;
      const keep = (part: Uint8Array) => {
        if (!o.readBody || kept >= o.maxBodyBytes) return;
        const piece = part.subarray(0, o.maxBodyBytes - kept);
        chunks.push(piece.slice());
        kept += piece.length;
      };
      let keepAlive = head.keepAlive;
      if (!bodyless) {
        const te = head.headers["transfer-encoding"];
        const cl = head.headers["content-length"];
        if (typeof te === "string" && te.toLowerCase().includes("chunked")) {
          await this.#chunked(keep);
        } else if (typeof cl === "string") {
          const n = Number(cl);
          if (!Number.isSafeInteger(n) || n < 0) throw new Error(`bad content-length "${cl}"`);
          await this.#fixed(n, keep);
        } else {
          await this.#toEnd(keep);
          keepAlive = false;
        }
      }
      return {
        answer: { status: head.status, headers: head.headers, body: join(chunks, kept) },
        keepAlive: keepAlive && this.#end === this.#start,
      };
    } catch (e) {
      if (this.#why !== undefined) throw new Error(this.#why); // timed out, or closing
      const text = e instanceof Error ? e.message : String(e);
      if (!this.#answered) throw new StaleConnection(`the connection failed: ${text}`);
      throw e instanceof Error && !(e instanceof StaleConnection) ? e : new Error(text);
    } finally {
      this.#busy = false;
    }
  }

  /** Reads more bytes; false at the end of the stream. */
  async #fill(): Promise<boolean> {
    if (this.#start > 0 && this.#start === this.#end) this.#start = this.#end = 0;
    if (this.#end === this.#buf.length) {
      if (this.#start > 0) {
        this.#buf.copyWithin(0, this.#start, this.#end);
        this.#end -= this.#start;
        this.#start = 0;
      } else {
        const grown = new Uint8Array(this.#buf.length * 2);
        grown.set(this.#buf);
        this.#buf = grown;
      }
    }
    const n = await this.#conn.read(this.#buf.subarray(this.#end));
    this.#active = Date.now();
    if (n === null) return false;
    this.#answered = true;
    this.#end += n;
    return true;
  }

  async #head(): Promise<{ status: number; headers: PlainAnswer["headers"]; keepAlive: boolean }> {
    while (true) {
      const view = this.#buf.subarray(this.#start, this.#end);
      const at = findHeadEnd(view);
      if (at >= 0) {
        const text = decoder.decode(view.subarray(0, at));
        this.#start += at + 4;
        return parseAnswerHead(text);
      }
      if (this.#end - this.#start > 64 * 1024) throw new Error("answer head larger than 64 KiB");
      const had = this.#end - this.#start;
      if (!await this.#fill()) {
        if (had === 0) throw new StaleConnection("the server closed the connection");
        throw new Error("the server closed the connection mid-answer");
      }
    }
  }

  async #fixed(n: number, keep: (part: Uint8Array) => void): Promise<void> {
    while (n > 0) {
      if (this.#end === this.#start && !await this.#fill()) {
        throw new Error("the server closed the connection mid-answer");
      }
      const k = Math.min(n, this.#end - this.#start);
      keep(this.#buf.subarray(this.#start, this.#start + k));
      this.#start += k;
      n -= k;
    }
  }

  async #line(): Promise<string> {
    while (true) {
      const view = this.#buf.subarray(this.#start, this.#end);
      const lf = view.indexOf(10);
      if (lf >= 0) {
        this.#start += lf + 1;
        return decoder.decode(view.subarray(0, lf)).trim();
      }
      if (view.length > 4096) throw new Error("chunk size line too long");
      if (!await this.#fill()) throw new Error("the server closed the connection mid-answer");
    }
  }

  async #chunked(keep: (part: Uint8Array) => void): Promise<void> {
    while (true) {
      const line = await this.#line();
      const size = parseInt(line.split(";")[0]!, 16);
      if (!Number.isFinite(size) || size < 0) throw new Error(`bad chunk size "${line}"`);
      if (size === 0) break;
      await this.#fixed(size, keep);
      await this.#line();
    }
    while ((await this.#line()) !== ""); // trailers
  }

  async #toEnd(keep: (part: Uint8Array) => void): Promise<void> {
    while (true) {
      if (this.#end > this.#start) {
        keep(this.#buf.subarray(this.#start, this.#end));
        this.#start = this.#end;
      }
      if (!await this.#fill()) return;
    }
  }

  /** When the exchange under way must end: its deadline, or its silence limit. */
  #limit(): { at: number; why: string } | null {
    let at = 0;
    let why = "";
    if (this.#deadline > 0) {
      at = this.#deadline;
      why = `no answer within ${this.#responseTimeoutMs / 1000} s`;
    }
    if (this.#io > 0 && (at === 0 || this.#active + this.#io < at)) {
      at = this.#active + this.#io;
      why = `the connection was silent for ${this.#io / 1000} s`;
    }
    return at === 0 ? null : { at, why };
  }

  #watch(): void {
    const limit = this.#limit();
    if (limit === null || (this.#armedAt !== 0 && this.#armedAt <= limit.at)) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedAt = limit.at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, limit.at - Date.now()));
    unref(this.#timer);
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedAt = 0;
    if (!this.#busy || this.#closed) return;
    const limit = this.#limit();
    if (limit === null) return;
    if (limit.at <= Date.now()) this.close(limit.why);
    else this.#watch();
  }
}

function join(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 0) return EMPTY;
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
