/**
 * A TCP (optionally TLS) client for outputs: connects on the first write, writes with the
 * socket's backpressure, notices a peer that closed (a reader watches the connection), and
 * after any failure drops the connection so the next write reconnects. Failures surface as
 * RetryableError: only the engine retries.
 */
import { errorMessage } from "../../error_message.ts";
import tls from "node:tls";
import type { PluginLogger as Logger } from "../../plugin.ts";
import { PermanentError, RetryableError } from "../../engine/errors.ts";
import { isCertificateError, tlsConnectOptions, type TlsSettings } from "../tls.ts";

/** Where a client connects. */
export interface TcpClientOptions {
  /** Host name or IP address of the receiver. */
  host: string;
  /** Port of the receiver. */
  port: number;
  /** Seconds to wait for the connection (and TLS handshake); default 10. */
  connectTimeout?: number;
  /** TLS settings (`tlsSettings` of `src/net/tls.ts`); plain TCP when absent. */
  tls?: TlsSettings;
  /** Where the tls.verify off warning is logged. */
  log?: Logger;
}

/** One open connection, whatever carries it. */
interface Wire {
  write(data: Uint8Array): Promise<void>;
  /** True once the peer closed or the connection failed. */
  readonly dead: boolean;
  close(): void;
}

function denoWire(conn: Deno.Conn): Wire {
  let dead = false;
  (async () => {
    const buf = new Uint8Array(4096);
    try {
      while ((await conn.read(buf)) !== null) {
        // a peer that talks back (it should not) is read and ignored
      }
    } catch {
      // reset or closed by us
    }
    dead = true;
  })();
  return {
    get dead() {
      return dead;
    },
    async write(data) {
      let at = 0;
      while (at < data.length) at += await conn.write(data.subarray(at));
    },
    close() {
      dead = true;
      try {
        conn.close();
      } catch {
        // already closed
      }
    },
  };
}

function nodeWire(socket: tls.TLSSocket): Wire {
  let dead = false;
  let failure: Error | undefined;
  const die = (e?: Error) => {
    dead = true;
    failure ??= e;
  };
  socket.on("error", die);
  socket.on("close", () => die());
  socket.on("end", () => die());
  socket.on("data", () => {});
  return {
    get dead() {
      return dead;
    },
    write(data) {
      if (dead) return Promise.reject(failure ?? new Error("connection closed"));
      return new Promise((resolve, reject) => {
        socket.write(data, (e) => (e ? reject(e) : resolve()));
      });
    },
    close() {
      dead = true;
      socket.destroy();
    },
  };
}

function withTimeout<T>(p: Promise<T>, seconds: number, what: string, onLate: (v: T) => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      p.then(onLate, () => {});
      reject(new Error(`${what} timed out after ${seconds}s`));
    }, seconds * 1000);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A reconnecting TCP/TLS client; one write at a time. */
export class TcpClient {
  /** Where and how it connects. */
  readonly options: TcpClientOptions;
  #wire: Wire | null = null;
  #warned = false;

  /** A client for `options`; it connects on the first write. */
  constructor(options: TcpClientOptions) {
    this.options = options;
  }

  /** `host:port`, IPv6 bracketed. */
  get endpoint(): string {
    const h = this.options.host;
    return `${h.includes(":") ? `[${h}]` : h}:${this.options.port}`;
  }

  /** True while a live connection is open. */
  get connected(): boolean {
    return this.#wire !== null && !this.#wire.dead;
  }

  /**
   * Writes all of `data`, connecting first when needed; resolves once the kernel took it.
   *
   * @example
   * ```ts
   * const client = new TcpClient({ host: "127.0.0.1", port: 5170 });
   * await client.write(new TextEncoder().encode('{"a":1}\n')); // RetryableError on failure
   * ```
   */
  async write(data: Uint8Array): Promise<void> {
    if (this.#wire?.dead) this.#drop();
    if (!this.#wire) this.#wire = await this.#connect();
    try {
      await this.#wire.write(data);
    } catch (e) {
      this.#drop();
      throw new RetryableError(`Cannot write to ${this.endpoint}: ${errorMessage(e)}`, {
        cause: e,
      });
    }
  }

  /** Closes the connection, if any. */
  close(): Promise<void> {
    this.#drop();
    return Promise.resolve();
  }

  #drop(): void {
    this.#wire?.close();
    this.#wire = null;
  }

  async #connect(): Promise<Wire> {
    const { host, port } = this.options;
    const seconds = this.options.connectTimeout ?? 10;
    try {
      return await withTimeout(this.#open(host, port), seconds, "connect", (w) => w.close());
    } catch (e) {
      const message = `Cannot connect to ${this.endpoint}: ${errorMessage(e)}`;
      // A refused certificate stays refused: retrying cannot help.
      if (isCertificateError(e)) throw new PermanentError(message, { cause: e });
      throw new RetryableError(message, { cause: e });
    }
  }

  async #open(host: string, port: number): Promise<Wire> {
    const t = this.options.tls;
    if (!t) return denoWire(await Deno.connect({ hostname: host, port }));
    // node:tls applies the settings to this connection alone (tls.verify off, tls.vhost).
    if (!t.verify && !this.#warned) {
      this.#warned = true;
      this.options.log?.warn(
        `tls.verify is off: the certificate of ${this.endpoint} is not checked`,
      );
    }
    return await new Promise<Wire>((resolve, reject) => {
      const socket = tls.connect({
        host,
        port,
        ...tlsConnectOptions(t),
        servername: t.servername ?? (/^[\d.:]+$/.test(host) ? undefined : host),
      }, () => {
        socket.off("error", reject);
        resolve(nodeWire(socket));
      });
      socket.once("error", reject);
    });
  }
}
