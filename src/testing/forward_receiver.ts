/**
 * A forward protocol server for tests, on 127.0.0.1: it speaks the handshake when given a
 * shared key, decodes every message with src/forward, keeps what arrived, and acks each
 * `chunk` unless told to stay silent (to test ack timeouts).
 */
import { ForwardSession } from "../forward/session.ts";
import type { ForwardMessage } from "../forward/mod.ts";
import { encodeAck } from "../forward/mod.ts";
import { msgpackEnd } from "../net/stream/mod.ts";

/** Options of {@link startForwardReceiver}. */
export interface ForwardReceiverOptions {
  /** Run the handshake with this key. */
  sharedKey?: string;
  /** Users for the handshake's user auth. */
  users?: Map<string, string>;
  /** Answer `chunk` options with acks (default true). */
  ack?: boolean;
}

/** A running receiver. */
export interface ForwardReceiver {
  /** The bound port. */
  port: number;
  /** Messages received, in order. */
  messages: ForwardMessage[];
  /** Handshakes refused, with their reason. */
  refused: string[];
  /** Connections accepted so far. */
  connections: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
  /** Lets the process exit while the receiver still listens (a module-level fixture). */
  unref(): void;
}

/**
 * Starts a receiver on a free port.
 *
 * @example
 * ```ts
 * const rx = startForwardReceiver();
 * // ... send to rx.port ...
 * await rx.close();
 * ```
 */
export function startForwardReceiver(options: ForwardReceiverOptions = {}): ForwardReceiver {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const serving = new Set<Promise<void>>();
  const rx: ForwardReceiver = {
    port: (listener.addr as Deno.NetAddr).port,
    messages: [],
    refused: [],
    connections: 0,
    unref() {
      listener.unref();
    },
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // closed
        }
      }
      await accepting;
      await Promise.all(serving);
    },
  };
  async function serve(conn: Deno.Conn): Promise<void> {
    const session = new ForwardSession({
      security: options.sharedKey === undefined ? null : {
        sharedKey: options.sharedKey,
        selfHostname: "receiver",
        users: options.users ?? new Map(),
      },
      maxDecompressedBytes: 64 << 20,
    });
    const write = async (b: Uint8Array) => {
      let off = 0;
      while (off < b.length) off += await conn.write(b.subarray(off));
    };
    try {
      const hello = session.greeting();
      if (hello) await write(hello);
      let pending = new Uint8Array(0);
      const buf = new Uint8Array(64 * 1024);
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) return;
        const all = new Uint8Array(pending.length + n);
        all.set(pending);
        all.set(buf.subarray(0, n), pending.length);
        let at = 0;
        for (;;) {
          const end = msgpackEnd(all, at, 64 << 20);
          if (end < 0) break;
          const step = session.frame(all.slice(at, end));
          at = end;
          if (step.kind === "reply") await write(step.bytes);
          else if (step.kind === "refuse") {
            rx.refused.push(step.error.message);
            if (step.reply) await write(step.reply);
            return;
          } else {
            rx.messages.push(step.message);
            if (step.message.chunk !== undefined && options.ack !== false) {
              await write(encodeAck(step.message.chunk));
            }
          }
        }
        pending = all.slice(at);
      }
    } catch {
      // the client went away
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch {
        // closed
      }
    }
  }
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        rx.connections++;
        conns.add(conn);
        const p = serve(conn);
        serving.add(p);
        p.finally(() => serving.delete(p));
      }
    } catch {
      // closed
    }
  })();
  return rx;
}
