/**
 * A buffered reader over one connection for the HTTP/1.1 ingress: every socket read has an
 * inactivity timeout and may have an absolute deadline, after which the connection is
 * closed (the pending read then fails with {@link TimeoutError}); one lazily re-armed
 * timer per connection watches them (a timer per read cost ~9% of an OTLP ingest
 * profile). Reads go straight into the caller's buffer when it is large, so a body costs
 * a handful of awaits, not one per segment copied twice.
 */
import { errorMessage } from "../../error_message.ts";

/** A read that did not finish before its timeout or deadline; the connection is closed. */
export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimeoutError";
  }
}

/** The peer closed the connection before a message was complete. */
export class ClosedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClosedError";
  }
}

const INITIAL = 16 * 1024;

interface PendingOp {
  limit: number;
  why: string;
}

/** Buffered, timed reads from a `Deno.Conn`. */
export class ConnReader {
  #conn: Deno.Conn;
  #buf = new Uint8Array(INITIAL);
  #start = 0;
  #end = 0;
  #timedOut: string | undefined;
  #closed = false;
  /** The read and the write under way: when each times out (epoch ms, 0 none) and why. */
  #reading: PendingOp = { limit: 0, why: "" };
  #write: PendingOp = { limit: 0, why: "" };
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedAt = 0;
  /** Milliseconds a read may wait for bytes before the connection is closed (0: forever). */
  inactivity = 0;
  /** Epoch ms after which reads close the connection (0: none). */
  deadline = 0;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** Bytes buffered and not consumed. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** The buffered bytes (a view, valid until the next read). */
  view(): Uint8Array {
    return this.#buf.subarray(this.#start, this.#end);
  }

  /** Marks `n` buffered bytes consumed. */
  consume(n: number): void {
    this.#start += n;
    if (this.#start === this.#end) this.#start = this.#end = 0;
  }

  /** The peer's address, when the connection has one. */
  get remoteAddr(): Deno.NetAddr | undefined {
    const a = this.#conn.remoteAddr;
    return a.transport === "tcp" ? a : undefined;
  }

  /** Writes all of `data`; a write that makes no progress within `inactivity` closes. */
  async write(data: Uint8Array): Promise<void> {
    let at = 0;
    while (at < data.length) {
      if (this.#closed) throw new ClosedError(this.#timedOut ?? "connection closed");
      const w = this.#write;
      w.limit = this.inactivity > 0 ? Date.now() + this.inactivity : 0;
      w.why = "the peer did not read the response in time";
      this.#watch(w.limit);
      try {
        at += await this.#conn.write(data.subarray(at));
      } catch (e) {
        if (this.#timedOut !== undefined) throw new TimeoutError(this.#timedOut);
        throw new ClosedError(`connection failed: ${errorMessage(e)}`);
      } finally {
        w.limit = 0;
      }
    }
  }

  /** Shuts down the sending side (the peer sees end of stream); reads still work. */
  closeWrite(): void {
    if (this.#closed) return;
    try {
      void this.#conn.closeWrite().catch(() => {});
    } catch {
      // not supported (TLS) or already closed
    }
  }

  /** Closes the connection (idempotent); pending reads fail. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      this.#conn.close();
    } catch {
      // already closed by the peer or a timer
    }
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Reads more bytes into the buffer, growing it up to `max` bytes of unconsumed data.
   * Returns false at end of stream. Throws RangeError when `max` is reached.
   */
  async fill(max: number): Promise<boolean> {
    if (this.#start > 0 && this.#end === this.#buf.length) {
      this.#buf.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    if (this.#end === this.#buf.length) {
      if (this.#buf.length >= max) throw new RangeError(`more than ${max} bytes buffered`);
      const grown = new Uint8Array(Math.min(max, this.#buf.length * 2));
      grown.set(this.#buf.subarray(0, this.#end));
      this.#buf = grown;
    }
    const n = await this.#read(this.#buf.subarray(this.#end));
    if (n === null) return false;
    this.#end += n;
    return true;
  }

  /** Reads exactly `target.length` bytes into `target` (buffered bytes first). */
  async readFull(target: Uint8Array): Promise<void> {
    let at = Math.min(this.buffered, target.length);
    target.set(this.#buf.subarray(this.#start, this.#start + at));
    this.consume(at);
    while (at < target.length) {
      const n = await this.#read(target.subarray(at));
      if (n === null) {
        throw new ClosedError(`connection closed after ${at} of ${target.length} body bytes`);
      }
      at += n;
    }
  }

  /** Discards up to `n` bytes (buffered first); false when the stream ended before. */
  async skip(n: number): Promise<boolean> {
    while (n > 0) {
      if (this.buffered === 0 && !await this.fill(INITIAL)) return false;
      const k = Math.min(n, this.buffered);
      this.consume(k);
      n -= k;
    }
    return true;
  }

  async #read(into: Uint8Array): Promise<number | null> {
    if (this.#closed) throw new ClosedError(this.#timedOut ?? "connection closed");
    const r = this.#reading;
    const now = Date.now();
    r.limit = this.inactivity > 0 ? now + this.inactivity : 0;
    r.why = "no bytes within the idle timeout";
    if (this.deadline > 0) {
      if (this.deadline <= now) return this.#expire("the request head did not arrive in time");
      if (r.limit === 0 || this.deadline < r.limit) {
        r.limit = this.deadline;
        r.why = "the request head did not arrive in time";
      }
    }
    this.#watch(r.limit);
    try {
      return await this.#conn.read(into);
    } catch (e) {
      if (this.#timedOut !== undefined) throw new TimeoutError(this.#timedOut);
      throw new ClosedError(`connection failed: ${errorMessage(e)}`);
    } finally {
      r.limit = 0;
    }
  }

  /**
   * Makes sure the watchdog fires by `limit` (epoch ms; 0: no limit). One timer per
   * connection, re-armed only when it fires early or a shorter limit comes: a read or
   * write costs a clock reading, not a timer of its own.
   */
  #watch(limit: number): void {
    if (limit === 0 || (this.#armedAt !== 0 && this.#armedAt <= limit)) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedAt = limit;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, limit - Date.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedAt = 0;
    if (this.#closed) return;
    const now = Date.now();
    for (const op of [this.#reading, this.#write]) {
      if (op.limit !== 0 && op.limit <= now) {
        this.#timedOut = op.why;
        this.close();
        return;
      }
    }
    const next = [this.#reading.limit, this.#write.limit].filter((l) => l !== 0);
    if (next.length > 0) this.#watch(Math.min(...next));
  }

  #expire(why: string): never {
    this.#timedOut = why;
    this.close();
    throw new TimeoutError(why);
  }
}
