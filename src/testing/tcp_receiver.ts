/**
 * A real TCP receiver for tests, on 127.0.0.1: keeps every byte per connection, parses
 * JSON lines or msgpack values, can stop reading (stall) to make its senders block, and
 * can go down and come back on the same port.
 *
 * @example
 * ```ts
 * const rx = await TcpReceiver.start();
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: rx.port });
 * await conn.write(new TextEncoder().encode('{"n":1}\n{"n":2}\n'));
 * conn.close();
 * await rx.waitFor(() => rx.jsonLines().length >= 2, "2 records");
 * await rx.stop();
 * ```
 */
import { decodeMulti } from "../event/msgpack.ts";
import { until } from "./until.ts";

/** A TCP server that records what it is sent. */
export class TcpReceiver {
  port: number;
  /** Bytes received, one entry per connection, in the order connections were accepted. */
  readonly received: Uint8Array[][] = [];
  /** Connections accepted so far. */
  accepted = 0;
  #listener: Deno.Listener | null;
  #conns = new Set<Deno.Conn>();
  #stalled = false;
  #waiting: (() => void)[] = [];
  #loops: Promise<void>[] = [];

  private constructor(listener: Deno.Listener) {
    this.#listener = listener;
    this.port = (listener.addr as Deno.NetAddr).port;
    this.#loops.push(this.#accept(listener));
  }

  /** Starts a receiver on `port` (0 picks a free one). */
  static start(port = 0): Promise<TcpReceiver> {
    return Promise.resolve(new TcpReceiver(Deno.listen({ hostname: "127.0.0.1", port })));
  }

  /** Stop reading from every connection (senders block once the kernel buffers fill). */
  stall(): void {
    this.#stalled = true;
  }

  /** Read again. */
  resume(): void {
    this.#stalled = false;
    for (const wake of this.#waiting.splice(0)) wake();
  }

  /** Every byte received, all connections joined in order. */
  bytes(): Uint8Array {
    return joined(this.received.flat());
  }

  /** The JSON lines received (each connection's complete lines). */
  jsonLines(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const dec = new TextDecoder();
    for (const conn of this.received) {
      const text = dec.decode(joined(conn));
      for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        try {
          out.push(JSON.parse(line));
        } catch {
          // a line cut by a closed connection
        }
      }
    }
    return out;
  }

  /** The msgpack values received (each connection's complete values). */
  msgpackValues(): unknown[] {
    const out: unknown[] = [];
    for (const conn of this.received) {
      try {
        for (const v of decodeMulti(joined(conn))) out.push(v);
      } catch {
        // a value cut by a closed connection
      }
    }
    return out;
  }

  /** {@link until} `check` holds, with a 20 s default fit for whole services; throws naming `what`. */
  async waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    await until(check, what, { timeout: timeoutMs, interval: 20 });
  }

  /** Closes the listener and every connection (after reading what they sent so far). */
  async stop(): Promise<void> {
    this.resume();
    this.#listener?.close();
    this.#listener = null;
    for (const c of this.#conns) {
      try {
        c.close();
      } catch {
        // closed
      }
    }
    await Promise.allSettled(this.#loops);
    this.#loops = [];
  }

  /** Listens again on the same port after `stop`. */
  restart(): void {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: this.port });
    this.#listener = listener;
    this.#loops.push(this.#accept(listener));
  }

  async #accept(listener: Deno.Listener): Promise<void> {
    try {
      for await (const conn of listener) {
        this.accepted++;
        const parts: Uint8Array[] = [];
        this.received.push(parts);
        this.#conns.add(conn);
        this.#loops.push(this.#read(conn, parts));
      }
    } catch {
      // listener closed
    }
  }

  async #read(conn: Deno.Conn, parts: Uint8Array[]): Promise<void> {
    try {
      while (true) {
        while (this.#stalled) await new Promise<void>((r) => this.#waiting.push(r));
        const buf = new Uint8Array(65_536);
        const n = await conn.read(buf);
        if (n === null) break;
        parts.push(buf.subarray(0, n));
      }
    } catch {
      // closed
    } finally {
      this.#conns.delete(conn);
      try {
        conn.close();
      } catch {
        // closed
      }
    }
  }
}

function joined(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
