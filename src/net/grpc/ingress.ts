/**
 * The gRPC side of an HTTP ingress port: the HTTP/1.1 server hands it the connections that
 * speak HTTP/2, it serves each as gRPC within a connection limit, and closes them all
 * (GOAWAY, then the sockets) when the input stops.
 */
import type { H2Session } from "../http2/session.ts";
import { type GrpcHandler, type GrpcServerOptions, serveGrpc } from "./server.ts";

/** A gRPC ingress: give it connections with {@link GrpcIngress.take}. */
export class GrpcIngress {
  #handler: GrpcHandler;
  #o: GrpcServerOptions & { maxConnections: number };
  #sessions = new Set<H2Session>();
  #closed = false;
  #refused = 0;

  constructor(handler: GrpcHandler, options: GrpcServerOptions & { maxConnections: number }) {
    this.#handler = handler;
    this.#o = options;
  }

  /** Open HTTP/2 connections. */
  get connections(): number {
    return this.#sessions.size;
  }

  /** Serves one HTTP/2 connection whose first `prefix` bytes were already read. */
  take(conn: Deno.Conn, prefix: Uint8Array): void {
    if (this.#closed || this.#sessions.size >= this.#o.maxConnections) {
      this.#refused++;
      if (this.#refused === 1 || this.#refused % 1000 === 0) {
        this.#o.log?.warn(
          `refused an HTTP/2 connection: ${this.#sessions.size} open, the limit is ` +
            `${this.#o.maxConnections} (${this.#refused} refused so far)`,
        );
      }
      try {
        conn.close();
      } catch {
        // already closed
      }
      return;
    }
    const session = serveGrpc(conn, this.#handler, { ...this.#o, prefix });
    this.#sessions.add(session);
    void session.done.finally(() => this.#sessions.delete(session));
  }

  /** Says GOAWAY to every connection and waits (2 s at most) for them to finish. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#sessions];
    for (const s of all) s.close();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, 2000)));
    await Promise.race([Promise.all(all.map((s) => s.done)), late]);
    clearTimeout(timer);
    for (const s of all) s.close(true);
  }
}
