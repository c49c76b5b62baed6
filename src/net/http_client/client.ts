/**
 * sluice's HTTP/1.1 client: requests to one server over a pool of kept-alive
 * connections, with the connect, idle and response timeouts, the fixed headers, the
 * proxy and TLS settings of {@link HttpClientSettings}. A network failure becomes a
 * RetryableError, a refused certificate a PermanentError. A request that finds its
 * kept-alive connection closed by the server before any answer is sent again on a new
 * connection by the runtime's node:http (tested in client_test.ts).
 */
import type http from "node:http";
import type { Socket } from "node:net";
import { PermanentError, RetryableError } from "../../engine/errors.ts";
import { nodeHttp, nodeHttps } from "../lazy_node.ts";
import { isCertificateError, type TlsSettings } from "../tls.ts";
import { type AgentSettings, createAgent } from "./agent.ts";
import { urlHost } from "./headers.ts";
import type { Compression } from "./compress.ts";
import type { ProxyTarget } from "./proxy.ts";
import { PlainPool } from "./plain.ts";

/** Everything a client needs, derived from the options once. */
export interface HttpClientSettings {
  /** The server's host name or IP address. */
  host: string;
  /** The server's port. */
  port: number;
  /** TLS settings; undefined for plain HTTP. */
  tls?: TlsSettings;
  /** A proxy to connect through; undefined for a direct connection. */
  proxy?: ProxyTarget;
  /** Headers sent with every request, in order; a name may repeat. */
  headers: [string, string][];
  /** Longest a connection may take to open, in ms. */
  connectTimeoutMs: number;
  /** Longest silence on a connection in use (0 = none). */
  ioTimeoutMs: number;
  /** Longest a request may take until its answer is read (0 = none). */
  responseTimeoutMs: number;
  /** Reuse connections between requests. */
  keepalive: boolean;
  /** Longest an unused kept-alive connection stays open, in ms. */
  idleTimeoutMs: number;
  /** Requests per connection before it is closed (0 = no limit). */
  maxRecycle: number;
  /** Body compression applied by {@link postDelivered}. */
  compression?: Compression;
  /** Most connections open to the server at once. */
  maxConnections: number;
  /** Local address to connect from. */
  sourceAddress?: string;
  /** TCP keepalive probe interval, in ms; off when undefined. */
  tcpKeepaliveMs?: number;
}

/** One request. */
export interface HttpRequest {
  /** The HTTP method; POST when omitted. */
  method?: string;
  /** The request target (path and query). */
  path: string;
  /** The request body. */
  body: Uint8Array;
  /** Headers of this request only; they replace fixed headers of the same name. */
  headers?: Record<string, string>;
  /** Read the answer's body (otherwise it is discarded). */
  readBody?: boolean;
  /** Most answer bytes kept when read. */
  maxBodyBytes?: number;
}

/** An answer. */
export interface HttpAnswer {
  /** The HTTP status code. */
  status: number;
  /** Header values by lowercase name. */
  headers: Record<string, string | string[] | undefined>;
  /** The answer's body; empty unless `readBody` was asked. */
  body: Uint8Array;
}

function reason(e: unknown): string {
  let err = e;
  while (err instanceof Error && err.cause instanceof Error && err.message === "") err = err.cause;
  const msg = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && !msg.includes(code) ? `${msg} (${code})` : msg;
}

/** A client of one server. */
export class HttpClient {
  /** The settings the client was made with. */
  readonly settings: HttpClientSettings;
  /** `host:port` of the server, for messages. */
  readonly target: string;
  #agentSettings: AgentSettings;
  /** The pool and request module, made on the first request (node:http loads then). */
  #pool?: Promise<{ agent: http.Agent; mod: typeof http }>;
  #inFlight = new Set<http.ClientRequest>();
  #uses = new WeakMap<Socket, number>();
  #closed = false;
  /** Plain HTTP without a proxy or source address: straight over Deno.connect (plain.ts). */
  #plain: PlainPool | undefined;

  /** A client of the server `settings` names; connects on the first request. */
  constructor(settings: HttpClientSettings) {
    this.settings = settings;
    this.target = `${urlHost(settings.host)}:${settings.port}`;
    const agent: AgentSettings = {
      tls: settings.tls,
      proxy: settings.proxy,
      keepalive: settings.keepalive,
      idleTimeoutMs: settings.idleTimeoutMs,
      maxConnections: settings.maxConnections,
      sourceAddress: settings.sourceAddress,
      tcpKeepaliveMs: settings.tcpKeepaliveMs,
    };
    this.#agentSettings = agent;
    if (!settings.tls && !settings.proxy && !settings.sourceAddress) {
      this.#plain = new PlainPool(settings);
    }
  }

  #pooled(): Promise<{ agent: http.Agent; mod: typeof http }> {
    return this.#pool ??= (async () => ({
      agent: await createAgent(this.#agentSettings, this.settings.connectTimeoutMs),
      mod: (this.settings.tls ? await nodeHttps() : await nodeHttp()) as typeof http,
    }))();
  }

  /** `scheme://host:port` + `path`. */
  url(path: string): string {
    return `${this.settings.tls ? "https" : "http"}://${this.target}${path}`;
  }

  /**
   * Sends `req` and resolves with the answer, whatever its status; throws RetryableError
   * on a network failure or timeout, PermanentError when the certificate is refused.
   */
  async send(req: HttpRequest): Promise<HttpAnswer> {
    if (this.#closed) {
      throw new RetryableError(`Cannot send to ${this.target}: the client is closed`);
    }
    try {
      return await (this.#plain ? this.#plain.send(req, this.#head(req)) : this.#once(req));
    } catch (cause) {
      if (isCertificateError(cause)) {
        throw new PermanentError(
          `Cannot send to ${this.target}: TLS certificate refused: ${reason(cause)}`,
          { cause },
        );
      }
      throw new RetryableError(`Cannot send to ${this.target}: ${reason(cause)}`, { cause });
    }
  }

  #headers(req: HttpRequest): Record<string, string | string[]> {
    const s = this.settings;
    const out: Record<string, string | string[]> = {};
    const names = new Map<string, string>();
    const put = (name: string, value: string, append: boolean) => {
      const lower = name.toLowerCase();
      const key = names.get(lower) ?? name;
      names.set(lower, key);
      const prev = out[key];
      out[key] = append && prev !== undefined ? [...[prev].flat(), value] : value;
    };
    // Host as browsers and Fluent Bit send it: the default port (80, 443) left out.
    const defaultPort = s.tls ? 443 : 80;
    put("Host", s.port === defaultPort ? urlHost(s.host) : this.target, false);
    for (const [name, value] of s.headers) put(name, value, true);
    for (const [name, value] of Object.entries(req.headers ?? {})) put(name, value, false);
    put("Content-Length", String(req.body.byteLength), false);
    if (s.proxy && !s.tls && s.proxy.authorization) {
      put("Proxy-Authorization", s.proxy.authorization, false);
    }
    return out;
  }

  /** The request line and headers as node:http would write them, for the plain pool. */
  #head(req: HttpRequest): Uint8Array {
    let head = `${req.method ?? "POST"} ${req.path} HTTP/1.1\r\n`;
    for (const [name, value] of Object.entries(this.#headers(req))) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (/[\r\n\0]/.test(name) || /[\r\n\0]/.test(v)) {
          throw new TypeError(`Invalid character in header "${name}"`);
        }
        head += `${name}: ${v}\r\n`;
      }
    }
    head += this.settings.keepalive
      ? "Connection: keep-alive\r\n\r\n"
      : "Connection: close\r\n\r\n";
    return encoder.encode(head);
  }

  async #once(req: HttpRequest): Promise<HttpAnswer> {
    const s = this.settings;
    const { agent, mod } = await this.#pooled();
    if (this.#closed) throw new Error("the output is closing");
    const direct = !s.proxy || s.tls !== undefined;
    const options: http.RequestOptions = {
      method: req.method ?? "POST",
      host: direct ? s.host.replace(/^\[|\]$/g, "") : s.proxy!.host,
      port: direct ? s.port : s.proxy!.port,
      path: direct ? req.path : this.url(req.path),
      headers: this.#headers(req),
      agent,
      ...(s.tls?.servername ? { servername: s.tls.servername } : {}),
    } as http.RequestOptions;
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      const timers: ReturnType<typeof setTimeout>[] = [];
      const finish = (err: Error | null, answer?: HttpAnswer) => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        this.#inFlight.delete(request);
        if (err) reject(err);
        else resolve(answer!);
      };
      const request = mod.request(options, (res) => {
        const chunks: Uint8Array[] = [];
        let size = 0;
        const max = req.maxBodyBytes ?? 64 * 1024;
        res.on("data", (d: Uint8Array) => {
          if (!req.readBody || size >= max) return;
          chunks.push(d);
          size += d.byteLength;
        });
        res.on("end", () => {
          const socket = request.socket as Socket | null;
          if (socket && s.maxRecycle > 0 && (this.#uses.get(socket) ?? 0) >= s.maxRecycle) {
            socket.destroy(); // the pool skips destroyed sockets
          }
          finish(null, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: concat(chunks, max),
          });
        });
        res.on("error", (e) => finish(e));
        res.on("aborted", () => finish(new Error("the server closed the connection mid-answer")));
      });
      this.#inFlight.add(request);
      request.on("error", (e) => finish(e));
      request.on("socket", (socket: Socket) => {
        const uses = (this.#uses.get(socket) ?? 0) + 1;
        this.#uses.set(socket, uses);
        if (uses > 1 || s.connectTimeoutMs <= 0) return;
        const t = setTimeout(() => {
          request.destroy(new Error(`no connection within ${s.connectTimeoutMs / 1000} s`));
        }, s.connectTimeoutMs);
        timers.push(t);
        socket.once(s.tls ? "secureConnect" : "connect", () => clearTimeout(t));
      });
      if (s.ioTimeoutMs > 0) {
        request.setTimeout(s.ioTimeoutMs, () => {
          request.destroy(new Error(`the connection was silent for ${s.ioTimeoutMs / 1000} s`));
        });
      }
      if (s.responseTimeoutMs > 0) {
        timers.push(setTimeout(() => {
          request.destroy(new Error(`no answer within ${s.responseTimeoutMs / 1000} s`));
        }, s.responseTimeoutMs));
      }
      request.end(req.body);
    });
  }

  /** Aborts requests in flight and closes every connection. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const r of this.#inFlight) r.destroy(new Error("the output is closing"));
    this.#pool?.then(({ agent }) => agent.destroy(), () => {});
    this.#plain?.close();
  }
}

const encoder = new TextEncoder();

function concat(chunks: Uint8Array[], max: number): Uint8Array {
  const [first] = chunks;
  if (chunks.length === 1 && first !== undefined && first.byteLength <= max) {
    return new Uint8Array(first);
  }
  const size = Math.min(max, chunks.reduce((n, c) => n + c.byteLength, 0));
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    if (at >= size) break;
    const part = c.subarray(0, size - at);
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
