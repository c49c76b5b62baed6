/**
 * One forward client connection: the secure-forward handshake on a fresh connection, then
 * messages written whole and, with require_ack_response, the `{"ack": chunk}` answer read
 * back within a timeout. Works over any byte stream (TCP, TLS, unix); a failure closes the
 * connection and throws, so the caller drops it and retries the chunk on a new one.
 */
import {
  ackOf,
  checkPong,
  decodeHelo,
  encodePing,
  ForwardError,
  type PingCredentials,
} from "../../../src/forward/mod.ts";
import { msgpackEnd } from "../../../src/net/stream/mod.ts";
import { decodeValue } from "../../../src/event/msgpack.ts";
import type { ByteStream } from "../../../src/net/stream/dial.ts";

/** The largest frame a server may answer with (HELO, PONG, ack). */
const MAX_REPLY_BYTES = 64 * 1024;

/** A connection that failed its handshake, write or ack; carries whether to retry. */
export class ForwardConnectionError extends Error {
  /** Why: refused by the server (auth), a protocol fault, or an I/O failure or timeout. */
  readonly kind: "auth" | "protocol" | "io";

  /** An error of `kind` with a sentence-case message. */
  constructor(kind: "auth" | "protocol" | "io", message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ForwardConnectionError";
    this.kind = kind;
  }
}

/**
 * A forward connection over `stream`.
 *
 * @example
 * ```ts
 * import { DEFAULT_ENCODING, encodeForwardLogs } from "../../../src/forward/mod.ts";
 * import { dial } from "../../../src/net/stream/mod.ts";
 * import { startForwardReceiver } from "../../../src/testing/forward_receiver.ts";
 *
 * const rx = startForwardReceiver();
 * const stream = await dial({ host: "127.0.0.1", port: rx.port, connectTimeoutMs: 5000 });
 * const c = new ForwardConnection(stream, { timeoutMs: 30_000 });
 * await c.send(encodeForwardLogs("app", [], { ...DEFAULT_ENCODING, requireAck: true })); // acked
 * c.close();
 * await rx.close();
 * ```
 */
export class ForwardConnection {
  #stream: ByteStream;
  #timeoutMs: number;
  #pending: Uint8Array = new Uint8Array(0);
  #closed = false;
  /** Messages sent on this connection. */
  sent = 0;

  /** Wraps `stream`; `timeoutMs` bounds each wait for a HELO, PONG or ack (0: none). */
  constructor(stream: ByteStream, options: { timeoutMs: number }) {
    this.#stream = stream;
    this.#timeoutMs = options.timeoutMs;
  }

  /** True once closed (after a failure or by {@link close}). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the stream; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#stream.close();
    } catch {
      // already closed by the peer
    }
  }

  #fail(kind: "auth" | "protocol" | "io", message: string, cause?: unknown): never {
    this.close();
    throw new ForwardConnectionError(kind, message, cause === undefined ? undefined : { cause });
  }

  /** Reads one whole msgpack frame from the server. */
  async #frame(what: string): Promise<Uint8Array> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = this.#timeoutMs > 0
      ? new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no ${what} within ${this.#timeoutMs / 1000}s`)),
          this.#timeoutMs,
        );
      })
      : null;
    try {
      for (;;) {
        let end: number;
        try {
          end = msgpackEnd(this.#pending, 0, MAX_REPLY_BYTES);
        } catch (e) {
          this.#fail("protocol", `Cannot read the server's ${what}: ${(e as Error).message}`);
        }
        if (end > 0) {
          const frame = this.#pending.slice(0, end);
          this.#pending = this.#pending.slice(end);
          return frame;
        }
        const buf = new Uint8Array(16 * 1024);
        const read = this.#stream.read(buf);
        const n = await (timeout ? Promise.race([read, timeout]) : read);
        if (n === null) this.#fail("io", `Forward server closed the connection before its ${what}`);
        const next = new Uint8Array(this.#pending.length + n);
        next.set(this.#pending);
        next.set(buf.subarray(0, n), this.#pending.length);
        this.#pending = next;
      }
    } catch (e) {
      if (e instanceof ForwardConnectionError) throw e;
      this.#fail("io", `Cannot read the server's ${what}: ${(e as Error).message}`, e);
    } finally {
      clearTimeout(timer);
    }
  }

  async #writeAll(bytes: Uint8Array): Promise<void> {
    try {
      let off = 0;
      while (off < bytes.length) off += await this.#stream.write(bytes.subarray(off));
    } catch (e) {
      this.#fail("io", `Cannot write to the forward server: ${(e as Error).message}`, e);
    }
  }

  /** Runs HELO, PING, PONG; throws ForwardConnectionError "auth" when the server refuses. */
  async handshake(me: PingCredentials): Promise<void> {
    try {
      const helo = decodeHelo(await this.#frame("HELO"));
      await this.#writeAll(encodePing(helo, me));
      checkPong(await this.#frame("PONG"), helo, me);
    } catch (e) {
      if (e instanceof ForwardError) {
        this.#fail(e.reason === "auth_failed" ? "auth" : "protocol", e.message, e);
      }
      throw e;
    }
  }

  /** Writes one message and, when `chunk` is set, waits for its ack. */
  async send(message: { bytes: Uint8Array; chunk: string | null }): Promise<void> {
    await this.#writeAll(message.bytes);
    this.sent++;
    if (message.chunk === null) return;
    const frame = await this.#frame("ack");
    let ack: string | null = null;
    try {
      ack = ackOf(decodeValue(frame));
    } catch {
      // not msgpack a decoder accepts: reported below
    }
    if (ack !== message.chunk) {
      this.#fail(
        "protocol",
        `Forward server answered ${
          ack === null ? "something other than an ack" : `ack "${ack}"`
        } ` +
          `for chunk "${message.chunk}"`,
      );
    }
  }
}
