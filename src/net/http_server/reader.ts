/**
 * A buffered reader over one connection for the HTTP/1.1 ingress: every socket read has an
 * inactivity timeout and may have an absolute deadline, after which the connection is
 * closed (the pending read then fails with {@link TimeoutError}). Reads go straight into
 * the caller's buffer when it is large, so a body costs a handful of awaits, not one per
 * segment copied twice.
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

/** Buffered, timed reads from a `Deno.Conn`. */
export class ConnReader {
  #conn: Deno.Conn;
  #buf = new Uint8Array(INITIAL);
  #start = 0;
  #end = 0;
  #timedOut: string | undefined;
  #closed = false;
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
      const timer = this.inactivity > 0
        ? setTimeout(() => {
          this.#timedOut = "the peer did not read the response in time";
          this.close();
        }, this.inactivity)
        : undefined;
      try {
        at += await this.#conn.write(data.subarray(at));
      } catch (e) {
        if (this.#timedOut !== undefined) throw new TimeoutError(this.#timedOut);
        throw new ClosedError(`connection failed: ${errorMessage(e)}`);
      } finally {
        if (timer !== undefined) clearTimeout(timer);
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
    let wait = this.inactivity;
    let why = "no bytes within the idle timeout";
    if (this.deadline > 0) {
      const left = this.deadline - Date.now();
      if (left <= 0) return this.#expire("the request head did not arrive in time");
      if (wait === 0 || left < wait) {
        wait = left;
        why = "the request head did not arrive in time";
      }
    }
    const timer = wait > 0
      ? setTimeout(() => {
        this.#timedOut = why;
        this.close();
      }, wait)
      : undefined;
    try {
      return await this.#conn.read(into);
    } catch (e) {
      if (this.#timedOut !== undefined) throw new TimeoutError(this.#timedOut);
      throw new ClosedError(`connection failed: ${errorMessage(e)}`);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  #expire(why: string): never {
    this.#timedOut = why;
    this.close();
    throw new TimeoutError(why);
  }
}
