/**
 * A listener for protocols that talk back on the connection (the forward protocol's HELO,
 * PONG and acks): TCP, TLS or a unix stream socket, a connection limit (more are closed at
 * once and counted), and one handler call per connection with its peer written as Fluent Bit
 * writes it (`tcp://ip:port`, `unix://path`). Closing stops accepting, closes every open
 * connection and waits for the handlers to return.
 */
import { errorMessage } from "../error_message.ts";

/** Where and how to listen. */
export interface DuplexListenOptions {
  /** Bind address (TCP). */
  hostname: string;
  /** Port (TCP); 0 picks a free one. */
  port: number;
  /** A unix socket path instead of TCP; an existing socket file there is replaced. */
  unixPath?: string;
  /** Octal permissions applied to the unix socket file (`0660`). */
  unixPerm?: string;
  /** Serve TLS with this PEM certificate chain and key. */
  tls?: { cert: string; key: string };
  /** Open connections allowed; 0 for no limit. */
  maxConnections: number;
  /** Called for each connection refused by the limit. */
  onRefused?: (peer: string) => void;
}

/** Handles one connection; it may close it, and the listener closes it after it returns. */
export type DuplexHandler = (conn: Deno.Conn, peer: string) => Promise<void>;

function peerOf(addr: Deno.Addr, path?: string): string {
  if ("hostname" in addr) {
    const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
    return `tcp://${host}:${addr.port}`;
  }
  return `unix://${("path" in addr && addr.path) || path || ""}`;
}

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

/**
 * A bound listener running `handler` per connection.
 *
 * @example
 * ```ts
 * const l = await DuplexListener.listen({ hostname: "127.0.0.1", port: 0, maxConnections: 0 },
 *   async (conn) => { await conn.write(new Uint8Array([1])); });
 * await l.close();
 * ```
 */
export class DuplexListener {
  #listener: Deno.Listener;
  #options: DuplexListenOptions;
  #conns = new Set<Deno.Conn>();
  #handlers = new Set<Promise<void>>();
  #accepting: Promise<void>;
  #closed = false;

  private constructor(
    listener: Deno.Listener,
    options: DuplexListenOptions,
    handler: DuplexHandler,
  ) {
    this.#listener = listener;
    this.#options = options;
    this.#accepting = this.#accept(handler);
  }

  /** Binds; throws when the address is taken, a TLS file is bad or the path is not a socket. */
  static async listen(
    options: DuplexListenOptions,
    handler: DuplexHandler,
  ): Promise<DuplexListener> {
    let listener: Deno.Listener;
    if (options.unixPath) {
      await replaceSocketFile(options.unixPath);
      listener = Deno.listen({ transport: "unix", path: options.unixPath });
      if (options.unixPerm) await Deno.chmod(options.unixPath, parseInt(options.unixPerm, 8));
    } else if (options.tls) {
      listener = Deno.listenTls({ hostname: options.hostname, port: options.port, ...options.tls });
    } else {
      listener = Deno.listen({ hostname: options.hostname, port: options.port });
    }
    return new DuplexListener(listener, options, handler);
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

  async #accept(handler: DuplexHandler): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (e) {
        if (this.#closed || e instanceof Deno.errors.BadResource) return;
        if (
          e instanceof Deno.errors.ConnectionAborted || e instanceof Deno.errors.ConnectionReset
        ) continue;
        // A TLS handshake that failed, and similar per-connection errors: keep accepting.
        if (/tls|certificate|handshake/i.test(errorMessage(e))) continue;
        throw e;
      }
      const peer = peerOf(conn.remoteAddr, this.#options.unixPath);
      const max = this.#options.maxConnections;
      if (max > 0 && this.#conns.size >= max) {
        this.#options.onRefused?.(peer);
        try {
          conn.close();
        } catch {
          // gone already
        }
        continue;
      }
      this.#conns.add(conn);
      const run = handler(conn, peer).catch(() => {}).finally(() => {
        this.#conns.delete(conn);
        try {
          conn.close();
        } catch {
          // closed by the handler
        }
      });
      this.#handlers.add(run);
      run.finally(() => this.#handlers.delete(run));
    }
  }

  /** Stops accepting, closes every connection, waits for the handlers; safe to call twice. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#listener.close();
      } catch {
        // closed
      }
      for (const c of this.#conns) {
        try {
          c.close();
        } catch {
          // closed
        }
      }
    }
    await this.#accepting.catch(() => {});
    await Promise.all(this.#handlers);
    if (this.#options.unixPath) await Deno.remove(this.#options.unixPath).catch(() => {});
  }
}
