/**
 * The one client connection of the stream transport: two-way, for protocols that read
 * answers back (the forward protocol's HELO, PONG and acks) and for write-only outputs
 * (through {@link TcpClient}): TCP, TLS (node:tls, so `tls.verify off` is honoured for this
 * connection alone) or a unix stream socket, as one small read/write/close interface. A
 * failure to connect is a RetryableError, a refused certificate a PermanentError.
 */
import type tls from "node:tls";
import { nodeTls } from "../lazy_node.ts";
import { PermanentError, RetryableError } from "../../engine/errors.ts";
import { errorMessage } from "../../error_message.ts";
import { isCertificateError, tlsConnectOptions, type TlsSettings } from "../tls.ts";

/** A connected byte stream (a Deno.Conn fits). */
export interface ByteStream {
  /** Reads into `p`; null at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
  /** Writes some of `p`; returns how much. */
  write(p: Uint8Array): Promise<number>;
  /** Closes both ways; safe to call twice. */
  close(): void;
}

/** Where and how to connect. */
export interface DialOptions {
  /** Host for TCP and TLS. */
  host: string;
  /** Port for TCP and TLS. */
  port: number;
  /** A unix stream socket path instead of host and port. */
  unixPath?: string;
  /** TLS settings; plain TCP when absent. */
  tls?: TlsSettings;
  /** Give up connecting (TLS handshake included) after this many ms. */
  connectTimeoutMs: number;
  /** ALPN protocols offered over TLS (["h2"] for HTTP/2). */
  alpn?: string[];
}

function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  what: string,
  onLate: (v: T) => void,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      p.then(onLate, () => {});
      reject(new Error(`${what} timed out after ${ms / 1000}s`));
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Adapts a node:tls socket to {@link ByteStream}, queueing what arrives until read. */
function tlsStream(socket: tls.TLSSocket): ByteStream {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  socket.on("data", (b: Uint8Array) => {
    queue.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    notify();
  });
  socket.on("end", () => {
    ended = true;
    notify();
  });
  socket.on("close", () => {
    ended = true;
    notify();
  });
  socket.on("error", (e: Error) => {
    failure ??= e;
    ended = true;
    notify();
  });
  return {
    async read(p) {
      while (queue.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
      if (queue.length === 0) {
        if (failure) throw failure;
        return null;
      }
      const head = queue[0]!;
      const n = Math.min(head.length, p.length);
      p.set(head.subarray(0, n));
      if (n === head.length) queue.shift();
      else queue[0] = head.subarray(n);
      return n;
    },
    write(p) {
      if (ended) return Promise.reject(failure ?? new Error("connection closed"));
      return new Promise((resolve, reject) => {
        socket.write(p, (e) => (e ? reject(e) : resolve(p.length)));
      });
    },
    close() {
      ended = true;
      socket.destroy();
      notify();
    },
  };
}

/** `host:port` (IPv6 bracketed), or `unix://path`, for messages. */
export function dialEndpoint(options: Pick<DialOptions, "host" | "port" | "unixPath">): string {
  if (options.unixPath) return `unix://${options.unixPath}`;
  const h = options.host;
  return `${h.includes(":") ? `[${h}]` : h}:${options.port}`;
}

/**
 * Connects as `options` says; rejects with a RetryableError on refusal, timeout or a failed
 * handshake, a PermanentError when the peer's certificate is refused (retrying cannot help).
 *
 * @example
 * ```ts
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const accepted = listener.accept();
 * const s = await dial({ host: "127.0.0.1", port: listener.addr.port, connectTimeoutMs: 10_000 });
 * await s.write(new Uint8Array([0x90]));
 * s.close();
 * (await accepted).close();
 * listener.close();
 * ```
 */
export async function dial(options: DialOptions): Promise<ByteStream> {
  try {
    return await open(options);
  } catch (e) {
    const message = `Cannot connect to ${dialEndpoint(options)}: ${errorMessage(e)}`;
    if (isCertificateError(e)) throw new PermanentError(message, { cause: e });
    throw new RetryableError(message, { cause: e });
  }
}

async function open(options: DialOptions): Promise<ByteStream> {
  const ms = options.connectTimeoutMs;
  if (options.unixPath) {
    const path = options.unixPath;
    const conn = Deno.connect({ transport: "unix", path });
    return await withTimeout(conn, ms, "connect", (c) => c.close());
  }
  if (!options.tls) {
    const conn = Deno.connect({ hostname: options.host, port: options.port });
    return await withTimeout(conn, ms, "connect", (c) => c.close());
  }
  const settings = options.tls;
  const socket = (await nodeTls()).connect({
    host: options.host,
    port: options.port,
    ...tlsConnectOptions(settings),
    servername: settings.servername ?? (/^[\d.:]+$/.test(options.host) ? undefined : options.host),
    ALPNProtocols: options.alpn,
  });
  const ready = new Promise<tls.TLSSocket>((resolve, reject) => {
    socket.once("secureConnect", () => resolve(socket));
    socket.once("error", reject);
  });
  await withTimeout(ready, ms, "TLS handshake", (s) => s.destroy()).catch((e) => {
    socket.destroy();
    throw e;
  });
  return tlsStream(socket);
}
