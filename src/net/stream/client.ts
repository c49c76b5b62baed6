/**
 * A TCP (optionally TLS) client for outputs, on the stream transport's one connection
 * ({@link dial}): connects on the first write, writes with the socket's backpressure,
 * notices a peer that closed (a reader watches the connection), and after any failure drops
 * the connection so the next write reconnects. Failures surface as RetryableError (a refused
 * certificate as PermanentError): only the engine retries.
 */
import { errorMessage } from "../../error_message.ts";
import type { PluginLogger as Logger } from "../../plugin.ts";
import { RetryableError } from "../../engine/errors.ts";
import { writeAll } from "../../engine/write_all.ts";
import type { TlsSettings } from "../tls.ts";
import { type ByteStream, dial, dialEndpoint } from "./dial.ts";

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

/** One open connection and whether the peer is gone. */
interface Wire {
  stream: ByteStream;
  /** True once the peer closed or the connection failed. */
  dead: boolean;
}

/** Watches `stream` for the peer's close; a peer that talks back (it should not) is ignored. */
function watch(stream: ByteStream): Wire {
  const wire: Wire = { stream, dead: false };
  (async () => {
    const buf = new Uint8Array(4096);
    try {
      while ((await stream.read(buf)) !== null) {
        // read and ignored
      }
    } catch {
      // reset or closed by us
    }
    wire.dead = true;
  })();
  return wire;
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
    return dialEndpoint(this.options);
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
   * import { TcpReceiver } from "../../testing/tcp_receiver.ts";
   * import { until } from "../../testing/until.ts";
   *
   * const rx = await TcpReceiver.start();
   * const client = new TcpClient({ host: "127.0.0.1", port: rx.port });
   * await client.write(new TextEncoder().encode('{"a":1}\n')); // RetryableError on failure
   * await until(() => rx.jsonLines().length === 1, "the line to arrive");
   * await client.close();
   * await rx.stop();
   * ```
   */
  async write(data: Uint8Array): Promise<void> {
    if (this.#wire?.dead) this.#drop();
    if (!this.#wire) this.#wire = await this.#connect();
    try {
      if (this.#wire.dead) throw new Error("connection closed");
      await writeAll(this.#wire.stream, data);
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
    if (this.#wire) {
      this.#wire.dead = true;
      this.#wire.stream.close();
    }
    this.#wire = null;
  }

  async #connect(): Promise<Wire> {
    const { host, port, tls } = this.options;
    // node:tls applies the settings to this connection alone (tls.verify off, tls.vhost).
    if (tls && !tls.verify && !this.#warned) {
      this.#warned = true;
      this.options.log?.warn(
        `tls.verify is off: the certificate of ${this.endpoint} is not checked`,
      );
    }
    const connectTimeoutMs = (this.options.connectTimeout ?? 10) * 1000;
    return watch(await dial({ host, port, tls, connectTimeoutMs }));
  }
}
