/**
 * Plain HTTP/1.1 (no TLS, no proxy, no source address) straight over `Deno.connect`, for
 * {@link HttpClient}: a LIFO pool of kept-alive connections, each request written in one
 * buffer (head and body), the answer read through one reused buffer per connection. It
 * replaces node:http on the hot path, whose per-request streams, async ids and socket
 * timers were ~4% of an OTLP export profile. A request that finds its reused connection
 * closed before any byte of an answer is sent again once on a new connection; timeouts
 * (connect, response, silence) and the idle close of pooled connections keep node:http's
 * meaning. TLS, proxies and a source address stay on node:http (client.ts).
 */
import type { PlainAnswer, PlainRequest } from "./plain_head.ts";
import { PlainConn, StaleConnection } from "./plain_conn.ts";

/** What the pool needs of the client's settings. */
export interface PlainPoolSettings {
  host: string;
  port: number;
  connectTimeoutMs: number;
  ioTimeoutMs: number;
  responseTimeoutMs: number;
  keepalive: boolean;
  idleTimeoutMs: number;
  maxRecycle: number;
  maxConnections: number;
  tcpKeepaliveMs?: number;
}

/** Connections to one server. */
export class PlainPool {
  #s: PlainPoolSettings;
  #idle: PlainConn[] = [];
  #open = new Set<PlainConn>();
  #waiters: (() => void)[] = [];
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(settings: PlainPoolSettings) {
    this.#s = settings;
  }

  /** Sends `head` + `req.body` and reads the answer; throws Error on failure. */
  async send(req: PlainRequest, head: Uint8Array): Promise<PlainAnswer> {
    const s = this.#s;
    const deadline = s.responseTimeoutMs > 0 ? Date.now() + s.responseTimeoutMs : 0;
    const message = new Uint8Array(head.length + req.body.length);
    message.set(head);
    message.set(req.body, head.length);
    const method = req.method ?? "POST";
    for (let attempt = 0;; attempt++) {
      const conn = await this.#acquire(attempt > 0);
      const reused = conn.uses > 0;
      try {
        const answer = await conn.exchange(message, {
          head: method === "HEAD",
          readBody: req.readBody ?? false,
          maxBodyBytes: req.maxBodyBytes ?? 64 * 1024,
          deadline,
          responseTimeoutMs: s.responseTimeoutMs,
          ioTimeoutMs: s.ioTimeoutMs,
        });
        this.#release(conn, answer.keepAlive);
        return answer.answer;
      } catch (e) {
        this.#drop(conn);
        if (e instanceof StaleConnection && reused && attempt === 0 && !this.#closed) continue;
        throw e instanceof StaleConnection ? new Error(e.message) : e;
      }
    }
  }

  /** Closes every connection; requests in flight fail. Safe to call twice. */
  close(): void {
    this.#closed = true;
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    for (const c of this.#open) c.close("the output is closing");
    this.#open.clear();
    this.#idle = [];
    for (const wake of this.#waiters.splice(0)) wake();
  }

  async #acquire(fresh: boolean): Promise<PlainConn> {
    const s = this.#s;
    while (true) {
      if (this.#closed) throw new Error("the output is closing");
      const now = Date.now();
      while (!fresh && this.#idle.length > 0) {
        const c = this.#idle.pop()!;
        if (c.closed || now - c.idleSince >= s.idleTimeoutMs) {
          this.#drop(c);
          continue;
        }
        return c;
      }
      if (s.maxConnections === 0 || this.#open.size < s.maxConnections) break;
      if (fresh && this.#idle.length > 0) {
        this.#drop(this.#idle.shift()!);
        continue;
      }
      await new Promise<void>((r) => this.#waiters.push(r));
    }
    const c = await PlainConn.open(s.host, s.port, {
      connectTimeoutMs: s.connectTimeoutMs,
      tcpKeepalive: s.tcpKeepaliveMs !== undefined,
    });
    if (this.#closed) {
      c.close("the output is closing");
      throw new Error("the output is closing");
    }
    this.#open.add(c);
    return c;
  }

  #release(c: PlainConn, keepAlive: boolean): void {
    const s = this.#s;
    c.uses++;
    if (
      !keepAlive || !s.keepalive || this.#closed || (s.maxRecycle > 0 && c.uses >= s.maxRecycle)
    ) {
      this.#drop(c);
      return;
    }
    c.idleSince = Date.now();
    this.#idle.push(c);
    this.#wake();
    this.#armIdle();
  }

  #drop(c: PlainConn): void {
    c.close("closed");
    if (this.#open.delete(c)) this.#wake();
    const i = this.#idle.indexOf(c);
    if (i >= 0) this.#idle.splice(i, 1);
  }

  #wake(): void {
    this.#waiters.shift()?.();
  }

  /** One pool timer closes connections idle past the idle timeout (not one per request). */
  #armIdle(): void {
    if (this.#idleTimer !== undefined || this.#idle.length === 0) return;
    const oldest = Math.min(...this.#idle.map((c) => c.idleSince));
    const wait = Math.max(0, oldest + this.#s.idleTimeoutMs - Date.now());
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      const now = Date.now();
      for (const c of [...this.#idle]) {
        if (now - c.idleSince >= this.#s.idleTimeoutMs) this.#drop(c);
      }
      this.#armIdle();
    }, wait);
  }
}
