/**
 * Stream listeners (TCP, TLS over TCP, unix sockets) that hand their consumer batches of
 * frames. Each connection reads, frames, and waits until its batch is taken before reading
 * again: a consumer that stops taking stops every socket, the peers' TCP windows fill, and
 * nothing is dropped. Connections past the limit are closed at once, idle ones after the
 * idle timeout; a frame over the buffer limit is skipped, not the connection. Accepting, the
 * limit, TLS and unix sockets are {@link ConnectionListener}'s; this adds framing, batching
 * and read pausing per connection.
 */
import { errorMessage } from "../../error_message.ts";
import { framerFor } from "./framers.ts";
import { Handoff } from "./handoff.ts";
import type { FrameBatch, ListenerStats, StreamListenOptions } from "./listener_options.ts";
import { serverTlsPem } from "../tls.ts";
import { ConnectionListener } from "./accept.ts";

export type { FrameBatch, ListenerStats, StreamListenOptions } from "./listener_options.ts";
export type { Framing } from "./framers.ts";

const DEFAULT_READ_SIZE = 65_536;
const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder("utf-8", { fatal: false });

/** A bound stream listener; iterate it for frame batches, `close` it to stop. */
export class StreamListener implements AsyncIterable<FrameBatch> {
  /** What the listener counted so far. */
  readonly stats: ListenerStats = {
    accepted: 0,
    refused: 0,
    idleClosed: 0,
    oversize: 0,
    framingErrors: 0,
    open: 0,
  };
  #listener!: ConnectionListener;
  #options: StreamListenOptions;
  #handoff = new Handoff<FrameBatch>();
  #closed = false;

  private constructor(options: StreamListenOptions) {
    this.#options = options;
  }

  /**
   * Binds and starts accepting; throws when it cannot (Deno.errors.AddrInUse; RangeError for an
   * unreadable TLS file).
   *
   * @example
   * ```ts
   * import { Logger, memorySink } from "../../engine/log.ts";
   * import { assertEquals } from "../../testing/assert.ts";
   *
   * const listener = await StreamListener.listen({
   *   transport: "tcp",
   *   hostname: "127.0.0.1",
   *   port: 0,
   *   log: new Logger({ sink: memorySink() }),
   *   framing: { kind: "separator", separator: new Uint8Array([10]) },
   *   maxFrameBytes: 32_768,
   * });
   * const conn = await Deno.connect({ hostname: "127.0.0.1", port: (listener.addr as Deno.NetAddr).port });
   * await conn.write(new TextEncoder().encode("one\ntwo\n"));
   * conn.close();
   * const lines: string[] = [];
   * for await (const batch of listener) {
   *   lines.push(...batch.frames.map((f) => new TextDecoder().decode(f)));
   *   if (lines.length === 2) break;
   * }
   * assertEquals(lines, ["one", "two"]);
   * await listener.close();
   * ```
   */
  static async listen(options: StreamListenOptions): Promise<StreamListener> {
    if (options.transport === "unix" && !options.path) {
      throw new TypeError('Cannot listen on a unix socket: "path" is not set');
    }
    const self = new StreamListener(options);
    const max = options.maxConnections ?? 0;
    self.#listener = await ConnectionListener.listen({
      hostname: options.hostname,
      port: options.port,
      ...(options.transport === "unix" ? { unixPath: options.path } : {}),
      ...(options.transport === "tcp" && options.tls ? { tls: serverTlsPem(options.tls) } : {}),
      maxConnections: max,
      onRefused: () => self.#refused(max),
      onAcceptError: (e) => options.log.warn(`accept failed: ${errorMessage(e)}`),
    }, (conn, peer) => self.#track(conn, peer));
    return self;
  }

  /** The bound address (the chosen port when 0 was asked). */
  get addr(): Deno.Addr {
    return this.#listener.addr;
  }

  /** Batches not yet taken by the consumer (at most one per open connection). */
  get waiting(): number {
    return this.#handoff.size;
  }

  /** The frame batches, one connection's read at a time; ends once the listener is closed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<FrameBatch> {
    while (true) {
      const batch = await this.#handoff.take();
      if (batch === undefined) return;
      yield batch;
    }
  }

  /**
   * Stops accepting and reading and closes every connection; batches already read are still
   * handed over, then the iteration ends.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#listener.close();
    // The iteration ends once every connection has handed over what it read.
    this.#listener.settled().then(() => this.#handoff.close());
  }

  #count(key: keyof ListenerStats, metric: string, help: string): void {
    this.stats[key]++;
    const { metrics, name } = this.#options;
    metrics?.counter(metric, help).inc({ name: name ?? "" });
  }

  #setOpen(delta: number): void {
    this.stats.open += delta;
    const { metrics, name } = this.#options;
    metrics?.gauge("sluice_net_connections_open", "Open connections of a stream listener.")
      .set({ name: name ?? "" }, this.stats.open);
  }

  #refused(max: number): void {
    this.#count(
      "refused",
      "sluice_net_connections_refused_total",
      "Connections closed at once because the listener's connection limit was reached.",
    );
    this.#options.log.once(
      "warn",
      "net-connection-limit",
      `connection limit of ${max} reached: new connections are closed at once ` +
        "(further refusals are counted, not logged)",
    );
  }

  async #track(conn: Deno.Conn, peer: string): Promise<void> {
    this.stats.accepted++;
    this.#setOpen(1);
    try {
      await this.#serve(conn, peer);
    } finally {
      this.#setOpen(-1);
    }
  }

  async #serve(conn: Deno.Conn, peer: string): Promise<void> {
    const { log } = this.#options;
    const framer = framerFor(this.#options.framing, {
      maxBytes: this.#options.maxFrameBytes,
      onOversize: (sample, bytes) => {
        this.#count(
          "oversize",
          "sluice_net_frames_oversize_total",
          "Frames skipped because they were longer than the buffer limit.",
        );
        log.once(
          "warn",
          "net-frame-oversize",
          `a ${bytes}-byte message from ${peer} exceeds the buffer limit of ` +
            `${this.#options.maxFrameBytes} bytes and was skipped (further ones are counted, ` +
            `not logged): ${JSON.stringify(decoder.decode(sample))}`,
        );
      },
    });
    const readSize = this.#options.readSize ?? DEFAULT_READ_SIZE;
    const idleMs = (this.#options.idleTimeout ?? 0) * 1000;
    let idle = false;
    try {
      while (!this.#closed) {
        // A framer that holds a partial frame gets it copied in front of this read, so
        // the read is not joined to it again (a 64 KiB copy and buffer per read).
        const held = framer.pushWithHeld ? framer.held?.() ?? EMPTY : EMPTY;
        const buf = new Uint8Array(held.length + readSize);
        if (held.length > 0) buf.set(held);
        let timer: ReturnType<typeof setTimeout> | undefined;
        if (idleMs > 0) {
          timer = setTimeout(() => {
            idle = true;
            closeQuietly(conn);
          }, idleMs);
        }
        let n: number | null;
        try {
          n = await conn.read(held.length > 0 ? buf.subarray(held.length) : buf);
        } catch (e) {
          if (!idle && !this.#closed) {
            log.debug(`read from ${peer} failed: ${errorMessage(e)}`);
          }
          n = null;
        } finally {
          clearTimeout(timer);
        }
        const frames: Uint8Array[] = [];
        if (n === null) {
          if (!idle) {
            const tail = framer.end();
            if (tail) frames.push(tail);
          }
          if (frames.length > 0) await this.#handoff.put({ frames, peer, bytes: 0, last: true });
          break;
        }
        try {
          if (framer.pushWithHeld) framer.pushWithHeld(buf.subarray(0, held.length + n), frames);
          else framer.push(buf.subarray(0, n), frames);
        } catch (e) {
          // The frames cut before the error in this read are whole: hand them over first.
          if (frames.length > 0) await this.#handoff.put({ frames, peer, bytes: n, last: true });
          throw e;
        }
        if (frames.length > 0) await this.#handoff.put({ frames, peer, bytes: n, last: false });
      }
    } catch (e) {
      this.#count(
        "framingErrors",
        "sluice_net_framing_errors_total",
        "Connections closed because their stream could not be framed.",
      );
      log.once(
        "warn",
        "net-framing-error",
        `closing connection from ${peer}: ${errorMessage(e)} (further ones are counted)`,
      );
    } finally {
      if (idle) {
        this.#count(
          "idleClosed",
          "sluice_net_connections_idle_closed_total",
          "Connections closed because they sent nothing for the idle timeout.",
        );
        log.debug(`closed idle connection from ${peer}`);
      }
      closeQuietly(conn);
    }
  }
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}
