/**
 * The HTTP server part the test receivers share: one handler served on 127.0.0.1 that can
 * go down (an outage: connections refused) and come back up on the same port, plus the
 * gunzip of request bodies they all accept.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const server = new RestartableServer(() => new Response("hi"));
 * server.up();
 * const port = server.port;
 * assertEquals(await (await fetch(`http://127.0.0.1:${port}/`)).text(), "hi");
 * await server.down();
 * server.up();
 * assertEquals(server.port, port);
 * assertEquals(await (await fetch(`http://127.0.0.1:${port}/`)).text(), "hi");
 * await server.down();
 * ```
 */
export class RestartableServer {
  #handler: (req: Request) => Response | Promise<Response>;
  #tls: { cert: string; key: string } | undefined;
  #port: number;
  #server: Deno.HttpServer | undefined;

  /** Serves `handler` (over TLS with `tls`) on `port` (a free one by default) once `up`. */
  constructor(
    handler: (req: Request) => Response | Promise<Response>,
    options: { port?: number; tls?: { cert: string; key: string } } = {},
  ) {
    this.#handler = handler;
    this.#tls = options.tls;
    this.#port = options.port ?? 0;
  }

  /** The bound port (kept across `down` and `up`). */
  get port(): number {
    return this.#port;
  }

  /** Listens (again) on the same port; listening when it returns. Does nothing when up. */
  up(): void {
    if (this.#server) return;
    const base = { hostname: "127.0.0.1", port: this.#port, onListen() {} };
    const handler = (req: Request) => this.#handler(req);
    this.#server = this.#tls
      ? Deno.serve({ ...base, cert: this.#tls.cert, key: this.#tls.key }, handler)
      : Deno.serve(base, handler);
    this.#port = (this.#server.addr as Deno.NetAddr).port;
  }

  /** Stops listening and closes connections until `up`. */
  async down(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    await s?.shutdown();
  }
}

/**
 * What the test receivers share: a {@link RestartableServer} answering with `handle`, its
 * port, `up`, `down` (an outage) and `stop`.
 */
export abstract class RestartableReceiver {
  #http: RestartableServer;

  /** Serves `handle` on `options.port` (a free one by default), over TLS with `options.tls`. */
  protected constructor(options: { port?: number; tls?: { cert: string; key: string } } = {}) {
    this.#http = new RestartableServer((req) => this.handle(req), options);
  }

  /** Answers one request. */
  protected abstract handle(req: Request): Response | Promise<Response>;

  /** The bound port (kept across `down` and `up`). */
  get port(): number {
    return this.#http.port;
  }

  /** Listens (again) on the same port: listening already when it returns. */
  up(): Promise<void> {
    this.#http.up();
    return Promise.resolve();
  }

  /** Stops listening and closes connections (an outage) until `up`. */
  down(): Promise<void> {
    return this.#http.down();
  }

  /** Stops for good. */
  stop(): Promise<void> {
    return this.down();
  }
}

/** `bytes` gunzipped. */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A request's body, gunzipped when it was sent with `content-encoding: gzip`. */
export async function requestBody(req: Request): Promise<Uint8Array> {
  const bytes = new Uint8Array(await req.arrayBuffer());
  return req.headers.get("content-encoding") === "gzip" ? await gunzip(bytes) : bytes;
}
