/**
 * A small HTTP/1.1 server over `Deno.listen` / `Deno.listenTls` for sluice's ingress, bounded
 * where `Deno.serve` is not: a header timeout (a request head must arrive whole in time,
 * slow clients are closed), an idle timeout (keep-alive and stalled bodies), a connection
 * limit (connections past it get a 503 and are closed), a head size limit (431) and
 * handlers that read the body with their own limit. Keep-alive, chunked bodies and
 * `Expect: 100-continue` are served; pipelined requests are answered in order.
 */
import { errorMessage } from "../../error_message.ts";
import type { PluginLogger as Logger } from "../../plugin.ts";
import { authorized, type IngressAuth, unauthorized } from "./auth.ts";
import { errorResponse, HttpError, textResponse } from "./errors.ts";
import { type HeadError, headLength, parseHead, type RequestHead } from "./head.ts";
import { ClosedError, ConnReader, TimeoutError } from "./reader.ts";
import { ConnRequest } from "./conn_request.ts";
import type { HttpHandler } from "./request.ts";
import { writeResponse } from "./response.ts";

/** Seconds a client is asked to wait (Retry-After) when the input cannot take more. */
export const RETRY_AFTER_SECONDS = 1;

/** Where and how the server listens, and its bounds. */
export interface HttpServerOptions {
  /** The address to listen on. */
  hostname: string;
  /** The port to listen on; 0 picks a free one. */
  port: number;
  /** PEM certificate chain and key: serve HTTPS. */
  tls?: { cert: string; key: string };
  /** Milliseconds for a request head to arrive whole, from accept or its first byte. */
  headerTimeoutMs: number;
  /** Milliseconds a keep-alive connection may idle, and a body read may stall. */
  idleTimeoutMs: number;
  /** Open connections; more are answered 503 and closed. */
  maxConnections: number;
  /** Largest request head in bytes (431 above); default 64 KiB. */
  maxHeadBytes?: number;
  /** Required credentials; requests without them get 401 before the handler runs. */
  auth?: IngressAuth;
  /** While true, requests get 503 with Retry-After before the handler runs. */
  paused?: () => boolean;
  /** Where connection problems are logged. */
  log?: Logger;
  /**
   * Takes over connections that speak HTTP/2 (h2c prior knowledge, or ALPN h2 over TLS),
   * with the bytes already read from them; HTTP/1.1 stays with this server.
   */
  http2?: (conn: Deno.Conn, prefix: Uint8Array) => void;
}

/** A running server. */
export interface HttpServer {
  /** The address listened on. */
  hostname: string;
  /** The bound port (the real one when 0 was asked). */
  port: number;
  /** Open connections. */
  readonly connections: number;
  /** Connections refused by the limit so far. */
  readonly refused: number;
  /** Stops accepting, lets requests in flight finish (2 s at most), closes the rest. */
  close(): Promise<void>;
}

const CONTINUE = new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n");
/** Unread body bytes drained after an answer to keep the connection; more closes it. */
const DRAIN_MAX = 64 * 1024;
const LINGER_MS = 1000;

/**
 * Binds and serves `handler` until closed; throws (synchronously) when it cannot bind.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const server = serveHttp((req) => new Response(`${req.method} ${req.path}`), {
 *   hostname: "127.0.0.1",
 *   port: 0, // any free port; server.port tells which
 *   headerTimeoutMs: 10_000,
 *   idleTimeoutMs: 10_000,
 *   maxConnections: 1024,
 * });
 * const res = await fetch(`http://127.0.0.1:${server.port}/hi`);
 * assertEquals([res.status, await res.text()], [200, "GET /hi"]);
 * await server.close();
 * ```
 */
export function serveHttp(handler: HttpHandler, options: HttpServerOptions): HttpServer {
  const listener = options.tls
    ? Deno.listenTls({
      hostname: options.hostname,
      port: options.port,
      cert: options.tls.cert,
      key: options.tls.key,
      alpnProtocols: options.http2 ? ["h2", "http/1.1"] : undefined,
    })
    : Deno.listen({ hostname: options.hostname, port: options.port });
  return new Server(listener, handler, options);
}

class Server implements HttpServer {
  readonly hostname: string;
  readonly port: number;
  #listener: Deno.Listener;
  #handler: HttpHandler;
  #o: HttpServerOptions;
  #open = new Set<ConnReader>();
  #serving = new Set<Promise<void>>();
  #idle = new Set<ConnReader>();
  #busy = 0;
  #refused = 0;
  #closing = false;
  #accepting: Promise<void>;
  #drained: (() => void) | undefined;

  constructor(listener: Deno.Listener, handler: HttpHandler, options: HttpServerOptions) {
    this.#listener = listener;
    this.#handler = handler;
    this.#o = options;
    const addr = listener.addr as Deno.NetAddr;
    this.hostname = addr.hostname;
    this.port = addr.port;
    this.#accepting = this.#accept();
  }

  get connections(): number {
    return this.#open.size;
  }

  get refused(): number {
    return this.#refused;
  }

  async close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      try {
        this.#listener.close();
      } catch {
        // already closed
      }
      for (const io of this.#idle) io.close();
    }
    await this.#accepting;
    if (this.#busy > 0) {
      const done = new Promise<void>((r) => (this.#drained = r));
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([done, new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
    }
    for (const io of this.#open) io.close();
    await Promise.all(this.#serving);
  }

  async #accept(): Promise<void> {
    while (true) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (e) {
        if (this.#closing) return;
        this.#o.log?.warn(`accept failed: ${errorMessage(e)}`);
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      if (this.#closing) {
        conn.close();
        continue;
      }
      if (this.#open.size >= this.#o.maxConnections) {
        this.#refuse(conn);
        continue;
      }
      const serving = this.#serve(conn);
      this.#serving.add(serving);
      void serving.finally(() => this.#serving.delete(serving));
    }
  }

  /** Answers 503 (plain TCP only: a TLS refusal would need a handshake) and closes. */
  #refuse(conn: Deno.Conn): void {
    this.#refused++;
    if (this.#refused === 1 || this.#refused % 1000 === 0) {
      this.#o.log?.warn(
        `refused a connection: ${this.#open.size} open, the limit is ${this.#o.maxConnections} ` +
          `(${this.#refused} refused so far)`,
      );
    }
    if (this.#o.tls) {
      conn.close();
      return;
    }
    const io = new ConnReader(conn);
    io.inactivity = LINGER_MS;
    const res = textResponse(503, "Too many connections: retry later", {
      "retry-after": String(RETRY_AFTER_SECONDS),
    });
    writeResponse(io, res, { close: true, head: false }).catch(() => {}).finally(() => io.close());
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    const io = new ConnReader(conn);
    this.#open.add(io);
    let first = true;
    let handedOff = false;
    try {
      if (this.#o.http2) handedOff = await this.#handOff(conn, io, this.#o.http2);
      while (!handedOff && !this.#closing) {
        const head = await this.#readHead(io, first);
        if (head === null) break;
        first = false;
        this.#busy++;
        let keep: boolean;
        try {
          keep = await this.#exchange(io, head);
        } finally {
          this.#busy--;
          if (this.#busy === 0) this.#drained?.();
        }
        if (!keep) break;
      }
    } catch (e) {
      if (e instanceof TimeoutError) this.#o.log?.debug(`closed a connection: ${e.message}`);
      else if (!(e instanceof ClosedError)) {
        this.#o.log?.debug(`connection failed: ${errorMessage(e)}`);
      }
    } finally {
      this.#idle.delete(io);
      this.#open.delete(io);
      if (!handedOff) io.close();
    }
  }

  /** Hands an HTTP/2 connection over (ALPN h2, or the h2c preface first); true when done. */
  async #handOff(
    conn: Deno.Conn,
    io: ConnReader,
    take: (conn: Deno.Conn, prefix: Uint8Array) => void,
  ): Promise<boolean> {
    const o = this.#o;
    if (o.tls) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TimeoutError("the TLS handshake timed out")),
          o.headerTimeoutMs,
        );
      });
      try {
        const hs = await Promise.race([(conn as Deno.TlsConn).handshake(), late]);
        if (hs.alpnProtocol !== "h2") return false;
      } finally {
        clearTimeout(timer);
      }
      take(conn, new Uint8Array(0));
      return true;
    }
    io.inactivity = o.idleTimeoutMs;
    io.deadline = Date.now() + o.headerTimeoutMs;
    const pri = [0x50, 0x52, 0x49]; // "PRI", the start of the h2 preface
    const maybeH2 = (): boolean => {
      const v = io.view();
      for (let i = 0; i < Math.min(pri.length, v.length); i++) if (v[i] !== pri[i]) return false;
      return true;
    };
    this.#idle.add(io);
    try {
      do {
        if (!await io.fill(o.maxHeadBytes ?? 64 * 1024)) {
          throw new ClosedError("closed before a request");
        }
      } while (io.buffered < pri.length && maybeH2());
    } finally {
      this.#idle.delete(io);
    }
    if (!maybeH2()) return false;
    const v = io.view();
    io.deadline = 0;
    take(conn, v.slice());
    return true;
  }

  /** The next request head; null at a clean end of stream (or closing) between requests. */
  async #readHead(io: ConnReader, first: boolean): Promise<RequestHead | null> {
    const o = this.#o;
    const maxHead = o.maxHeadBytes ?? 64 * 1024;
    io.inactivity = o.idleTimeoutMs;
    io.deadline = first ? Date.now() + o.headerTimeoutMs : 0;
    if (io.buffered === 0) {
      this.#idle.add(io);
      let more: boolean;
      try {
        more = await io.fill(maxHead);
      } finally {
        this.#idle.delete(io);
      }
      if (!more || this.#closing) return null;
      if (!first) io.deadline = Date.now() + o.headerTimeoutMs;
    } else if (!first) io.deadline = Date.now() + o.headerTimeoutMs;
    while (true) {
      const len = headLength(io.view());
      if ((len === -1 && io.buffered >= maxHead) || len > maxHead) {
        await this.#fail(io, new HttpError(431, `Request head is larger than ${maxHead} bytes`));
        return null;
      }
      if (len !== -1) {
        let head: RequestHead;
        try {
          head = parseHead(io.view().subarray(0, len));
        } catch (e) {
          await this.#fail(io, e as HeadError);
          return null;
        }
        io.consume(len);
        io.deadline = 0;
        return head;
      }
      let more: boolean;
      try {
        more = await io.fill(maxHead);
      } catch (e) {
        if (e instanceof RangeError) {
          await this.#fail(io, new HttpError(431, `Request head is larger than ${maxHead} bytes`));
          return null;
        }
        throw e;
      }
      if (!more) throw new ClosedError("connection closed inside a request head");
    }
  }

  async #fail(io: ConnReader, e: { status: number; message: string }): Promise<void> {
    io.deadline = 0;
    await writeResponse(io, textResponse(e.status, e.message), { close: true, head: false });
    await linger(io);
  }

  /** Answers one request; true when the connection may serve another. */
  async #exchange(io: ConnReader, head: RequestHead): Promise<boolean> {
    const o = this.#o;
    let continued = !head.expectContinue;
    const req = new ConnRequest(io, head, {
      remote: remoteOf(io),
      beforeBody: async () => {
        if (continued) return;
        continued = true;
        await io.write(CONTINUE);
      },
    });
    let res: Response;
    try {
      if (o.auth && !authorized(head.headers, o.auth)) throw unauthorized(o.auth);
      if (o.paused?.()) {
        throw new HttpError(
          503,
          "The input is paused (its buffer is full, or sluice.memory_limit is reached): retry later",
          {
            "retry-after": String(RETRY_AFTER_SECONDS),
          },
        );
      }
      res = await this.#handler(req);
    } catch (e) {
      if (e instanceof HttpError) res = errorResponse(e);
      else if (e instanceof TimeoutError || e instanceof ClosedError) throw e;
      else {
        o.log?.error(`request failed: ${errorMessage(e)}`);
        res = textResponse(500, "Internal error");
      }
    }
    // An unread body is drained when small and already on its way, else the connection ends.
    let keep = head.keepAlive && !this.#closing && !req.broken;
    const unread = req.unread;
    if (keep && unread !== 0 && (unread < 0 || unread > DRAIN_MAX || !continued)) keep = false;
    if (res.headers.get("transfer-encoding") === "chunked") keep = false; // streamed, then closed
    await writeResponse(io, res, { close: !keep, head: head.method === "HEAD" });
    if (!keep) {
      if (unread !== 0 && !req.broken) await linger(io);
      return false;
    }
    if (unread > 0 && !await io.skip(unread)) return false;
    return true;
  }
}

/** After an answer with `connection: close`, reads what the peer still sends, briefly. */
async function linger(io: ConnReader): Promise<void> {
  try {
    io.closeWrite();
    io.inactivity = LINGER_MS;
    io.deadline = Date.now() + LINGER_MS;
    while (await io.skip(64 * 1024));
  } catch {
    // timed out or reset: closing anyway
  }
}

function remoteOf(io: ConnReader): string {
  const a = io.remoteAddr;
  if (a === undefined) return "";
  return a.hostname.includes(":") ? `[${a.hostname}]:${a.port}` : `${a.hostname}:${a.port}`;
}
