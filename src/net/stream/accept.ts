/**
 * The one accept loop of the stream transport: TCP, TLS or a unix stream socket, a
 * connection limit (more are closed at once and reported), and one handler call per
 * connection with its peer written as Fluent Bit writes it (`tcp://ip:port`,
 * `unix://path`). The handler owns the connection both ways: the forward input talks back on
 * it, {@link StreamListener} frames it. Closing stops accepting and closes every open
 * connection; {@link ConnectionListener.settled} waits for the handlers to return.
 */
import { streamPeer } from "./peer.ts";

/** Where and how to listen. */
export interface AcceptOptions {
  /** Bind address (TCP); defaults to 0.0.0.0. */
  hostname?: string;
  /** Port (TCP); 0 picks a free one. */
  port?: number;
  /** A unix socket path instead of TCP; an existing socket file there is replaced. */
  unixPath?: string;
  /** Octal permissions applied to the unix socket file (`0660`). */
  unixPerm?: string;
  /** Serve TLS (TCP only) with this PEM certificate chain and key. */
  tls?: { cert: string; key: string };
  /** Open connections allowed; 0 (default) for no limit. */
  maxConnections?: number;
  /** Called for each connection refused by the limit (it is closed already). */
  onRefused?: (peer: string) => void;
  /** Called when accept fails for one connection (a failed TLS handshake); accepting goes on. */
  onAcceptError?: (error: unknown) => void;
}

/** Handles one connection; it may close it, and the listener closes it after it returns. */
export type ConnectionHandler = (conn: Deno.Conn, peer: string) => Promise<void>;

async function replaceSocketFile(path: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch {
    return;
  }
  if (!info.isSocket) {
    throw new Error(`Cannot listen on ${path}: it exists and it is not a unix socket. Aborting`);
  }
  await Deno.remove(path);
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}

/**
 * A bound listener running `handler` per connection.
 *
 * @example
 * ```ts
 * const l = await ConnectionListener.listen({ hostname: "127.0.0.1", port: 0 },
 *   async (conn) => { await conn.write(new Uint8Array([1])); });
 * await l.close();
 * await l.settled();
 * ```
 */
export class ConnectionListener {
  #listener: Deno.Listener;
  #options: AcceptOptions;
  #conns = new Set<Deno.Conn>();
  #handlers = new Set<Promise<void>>();
  #accepting: Promise<void>;
  #closed = false;

  private constructor(listener: Deno.Listener, options: AcceptOptions, handler: ConnectionHandler) {
    this.#listener = listener;
    this.#options = options;
    this.#accepting = this.#accept(handler);
  }

  /** Binds; throws when the address is taken, a TLS file is bad or the path is not a socket. */
  static async listen(
    options: AcceptOptions,
    handler: ConnectionHandler,
  ): Promise<ConnectionListener> {
    let listener: Deno.Listener;
    const hostname = options.hostname ?? "0.0.0.0";
    const port = options.port ?? 0;
    if (options.unixPath) {
      await replaceSocketFile(options.unixPath);
      listener = Deno.listen({ transport: "unix", path: options.unixPath });
      if (options.unixPerm) await Deno.chmod(options.unixPath, parseInt(options.unixPerm, 8));
    } else if (options.tls) {
      listener = Deno.listenTls({ hostname, port, ...options.tls });
    } else {
      listener = Deno.listen({ hostname, port });
    }
    return new ConnectionListener(listener, options, handler);
  }

  /** The bound address (the chosen port when 0 was asked). */
  get addr(): Deno.Addr {
    return this.#listener.addr;
  }

  /** The bound TCP port, or the unix socket path. */
  get address(): number | string {
    const a = this.#listener.addr;
    return "port" in a ? a.port : this.#options.unixPath ?? "";
  }

  /** Connections open now. */
  get open(): number {
    return this.#conns.size;
  }

  async #accept(handler: ConnectionHandler): Promise<void> {
    const max = this.#options.maxConnections ?? 0;
    while (!this.#closed) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (e) {
        if (this.#closed || e instanceof Deno.errors.BadResource) return;
        this.#options.onAcceptError?.(e);
        continue;
      }
      if (this.#closed) {
        closeQuietly(conn);
        return;
      }
      const peer = streamPeer(conn.remoteAddr, this.#options.unixPath);
      if (max > 0 && this.#conns.size >= max) {
        closeQuietly(conn);
        this.#options.onRefused?.(peer);
        continue;
      }
      this.#conns.add(conn);
      const run = handler(conn, peer).catch(() => {}).finally(() => {
        this.#conns.delete(conn);
        closeQuietly(conn);
      });
      this.#handlers.add(run);
      run.finally(() => this.#handlers.delete(run));
    }
  }

  /**
   * Stops accepting and closes every connection (handlers see their reads fail), then
   * removes the unix socket file; safe to call twice.
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#listener.close();
      } catch {
        // closed
      }
      for (const c of this.#conns) closeQuietly(c);
    }
    await this.#accepting.catch(() => {});
    if (this.#options.unixPath) await Deno.remove(this.#options.unixPath).catch(() => {});
  }

  /** Resolves once every handler started so far has returned. */
  async settled(): Promise<void> {
    await Promise.all(this.#handlers);
  }
}
