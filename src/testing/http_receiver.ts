/**
 * A real HTTP/1.1 receiver for delivery tests, on 127.0.0.1, written on raw sockets so a
 * test can make it answer any status (with `Retry-After`), hold answers back, close
 * connections without answering, or go down and come back on the same port. It keeps
 * every request, decoding gzip bodies, and the JSON records they carried.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const rx = await HttpReceiver.start({ mode: { kind: "status", status: 503, retryAfter: "1" } });
 * const post = () =>
 *   fetch(`http://127.0.0.1:${rx.port}/`, { method: "POST", body: '[{"n":1},{"n":2}]' });
 * const refused = await post();
 * await refused.body?.cancel();
 * assertEquals([refused.status, refused.headers.get("retry-after")], [503, "1"]);
 * rx.mode = { kind: "ok" };
 * await (await post()).body?.cancel();
 * assertEquals(await rx.waitForRecords(2), [{ n: 1 }, { n: 2 }]);
 * await rx.stop();
 * ```
 */
import { until } from "./until.ts";

/** How the receiver answers the next requests. */
export type ReceiverMode =
  | { kind: "ok" }
  /** Answers `status`; after `times` answers (when set) it goes back to ok. */
  | { kind: "status"; status: number; retryAfter?: string; times?: number }
  /** Answers 200 after `ms`. */
  | { kind: "delay"; ms: number }
  /** Holds every answer until the mode changes, then answers by the new mode. */
  | { kind: "stall" }
  /** Reads the request, then closes the connection without answering. */
  | { kind: "close" };

/** One request as received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Headers;
  /** The body, gunzipped when it was sent with `content-encoding: gzip`. */
  body: Uint8Array;
  /** The status answered; 0 while held, or when the connection was closed instead. */
  status: number;
  /** When the whole request had arrived (`Date.now()`), before it was answered. */
  receivedAt: number;
}

const CRLF2 = new Uint8Array([13, 10, 13, 10]);
const enc = new TextEncoder();
const dec = new TextDecoder();

function indexOf(buf: Uint8Array, pat: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= buf.length - pat.length; i++) {
    for (let j = 0; j < pat.length; j++) if (buf[i + j] !== pat[j]) continue outer;
    return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The controllable receiver. */
export class HttpReceiver {
  /** Every request received, in order. */
  readonly requests: ReceivedRequest[] = [];
  #mode: ReceiverMode = { kind: "ok" };
  #port: number;
  #listener: Deno.Listener | undefined;
  #conns = new Set<Deno.Conn>();
  #accepting: Promise<void> | undefined;
  /** Held requests' wake-ups: true answers that one by the ok mode, false re-reads the mode. */
  #changed: ((answerOk: boolean) => void)[] = [];

  private constructor(port: number) {
    this.#port = port;
  }

  /** Starts listening on 127.0.0.1 (a free port unless `port` is given). */
  static async start(options: { port?: number; mode?: ReceiverMode } = {}): Promise<HttpReceiver> {
    const rx = new HttpReceiver(options.port ?? 0);
    if (options.mode) rx.#mode = options.mode;
    await rx.up();
    return rx;
  }

  /** The bound port (the same across `down` and `up`). */
  get port(): number {
    return this.#port;
  }

  /** How requests are answered from now on (held ones are answered by the new mode). */
  get mode(): ReceiverMode {
    return this.#mode;
  }

  set mode(mode: ReceiverMode) {
    this.#mode = mode;
    const waiting = this.#changed;
    this.#changed = [];
    for (const w of waiting) w(false);
  }

  /** Requests held unanswered right now (stall mode). */
  get held(): number {
    return this.#changed.length;
  }

  /** Answers the `n` oldest held requests 200, leaving the mode (and the others) as they are. */
  release(n = 1): void {
    for (const w of this.#changed.splice(0, n)) w(true);
  }

  /** Requests answered 2xx. */
  get delivered(): ReceivedRequest[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300);
  }

  /** The JSON records of every 2xx-answered request (json arrays and JSON lines). */
  records(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const r of this.delivered) for (const rec of this.#parsed(r)) out.push(rec);
    return out;
  }

  /** How many records the 2xx-answered requests carried (JSON lines are counted, not parsed). */
  recordCount(): number {
    let n = 0;
    for (const r of this.delivered) {
      let c = this.#counts.get(r);
      if (c === undefined) {
        c = 0;
        if (r.body[0] === 0x5b) c = this.#parsed(r).length; // "[": a JSON array
        else for (let i = 0; i < r.body.length; i++) if (r.body[i] === 10) c++;
        this.#counts.set(r, c);
      }
      n += c;
    }
    return n;
  }

  #counts = new WeakMap<ReceivedRequest, number>();

  #cache = new WeakMap<ReceivedRequest, Record<string, unknown>[]>();

  #parsed(r: ReceivedRequest): Record<string, unknown>[] {
    const cached = this.#cache.get(r);
    if (cached) return cached;
    const text = dec.decode(r.body).trim();
    let recs: Record<string, unknown>[] = [];
    if (text.startsWith("[")) recs = JSON.parse(text);
    else for (const line of text.split("\n")) if (line.trim()) recs.push(JSON.parse(line));
    this.#cache.set(r, recs);
    return recs;
  }

  /** Waits until at least `n` records were delivered; returns them. */
  async waitForRecords(n: number, timeoutMs = 20_000): Promise<Record<string, unknown>[]> {
    await until(() => this.recordCount() >= n, `${n} records`, {
      timeout: timeoutMs,
      interval: 20,
    });
    return this.records();
  }

  /** Listens again on the same port after `down`. */
  async up(): Promise<void> {
    if (this.#listener) return;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: this.#port });
    this.#port = (this.#listener.addr as Deno.NetAddr).port;
    const listener = this.#listener;
    this.#accepting = (async () => {
      try {
        for await (const conn of listener) {
          this.#conns.add(conn);
          this.#serve(conn).finally(() => this.#conns.delete(conn));
        }
      } catch {
        // listener closed
      }
    })();
    await Promise.resolve();
  }

  /** Stops listening and drops every connection: clients see connection refused. */
  async down(): Promise<void> {
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.close();
    for (const c of this.#conns) {
      try {
        c.close();
      } catch {
        // already closed
      }
    }
    this.#conns.clear();
    await this.#accepting;
    this.mode = this.#mode; // release held answers (their connections are gone)
  }

  /** Stops for good. */
  async stop(): Promise<void> {
    await this.down();
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    let buf: Uint8Array = new Uint8Array(0);
    const chunk = new Uint8Array(64 * 1024);
    const fill = async (): Promise<boolean> => {
      const n = await conn.read(chunk);
      if (n === null) return false;
      buf = concat(buf, chunk.subarray(0, n));
      return true;
    };
    try {
      while (true) {
        let end = indexOf(buf, CRLF2);
        while (end < 0) {
          if (!(await fill())) return;
          end = indexOf(buf, CRLF2);
        }
        const head = dec.decode(buf.subarray(0, end)).split("\r\n");
        const [method = "", path = ""] = head[0]!.split(" ");
        const headers = new Headers();
        for (const line of head.slice(1)) {
          const i = line.indexOf(":");
          if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
        }
        buf = buf.subarray(end + 4);
        let body: Uint8Array;
        if (headers.get("transfer-encoding")?.toLowerCase().includes("chunked")) {
          const parts: Uint8Array[] = [];
          while (true) {
            let lineEnd = indexOf(buf, enc.encode("\r\n"));
            while (lineEnd < 0) {
              if (!(await fill())) return;
              lineEnd = indexOf(buf, enc.encode("\r\n"));
            }
            const size = parseInt(dec.decode(buf.subarray(0, lineEnd)), 16);
            buf = buf.subarray(lineEnd + 2);
            while (buf.length < size + 2) if (!(await fill())) return;
            if (size === 0) {
              buf = buf.subarray(2);
              break;
            }
            parts.push(buf.slice(0, size));
            buf = buf.subarray(size + 2);
          }
          body = parts.reduce(concat, new Uint8Array(0));
        } else {
          const length = Number(headers.get("content-length") ?? 0);
          while (buf.length < length) if (!(await fill())) return;
          body = buf.slice(0, length);
          buf = buf.subarray(length);
        }
        if (headers.get("content-encoding") === "gzip") body = await gunzip(body);
        const req: ReceivedRequest = {
          method,
          path,
          headers,
          body,
          status: 0,
          receivedAt: Date.now(),
        };
        this.requests.push(req);
        let mode = this.#mode;
        while (mode.kind === "stall" || mode.kind === "delay") {
          if (mode.kind === "delay") {
            await new Promise((r) => setTimeout(r, mode.kind === "delay" ? mode.ms : 0));
            mode = { kind: "ok" };
            break;
          }
          const answerOk = await new Promise<boolean>((resolve) => this.#changed.push(resolve));
          if (!this.#conns.has(conn)) return;
          mode = answerOk ? { kind: "ok" } : this.#mode;
        }
        if (mode.kind === "close") {
          conn.close();
          return;
        }
        const status = mode.kind === "status" ? mode.status : 200;
        if (mode.kind === "status" && mode.times !== undefined && mode === this.#mode) {
          if (--mode.times <= 0) this.mode = { kind: "ok" };
        }
        req.status = status;
        const extra = mode.kind === "status" && mode.retryAfter !== undefined
          ? `retry-after: ${mode.retryAfter}\r\n`
          : "";
        const text = status >= 400 ? `refused with ${status}` : "";
        const res = `HTTP/1.1 ${status} X\r\ncontent-length: ${enc.encode(text).length}\r\n` +
          `${extra}\r\n${text}`;
        const bytes = enc.encode(res);
        let off = 0;
        while (off < bytes.length) off += await conn.write(bytes.subarray(off));
      }
    } catch {
      // the client went away, or the receiver went down
    } finally {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  }
}
