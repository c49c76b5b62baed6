/** Helpers for ingress tests: a server on a free port, raw socket exchanges, polling. */
import { type HttpServer, type HttpServerOptions, serveHttp } from "./server.ts";
import type { HttpHandler } from "./request.ts";

/** Starts a server on 127.0.0.1 with a free port and generous defaults. */
export function testServer(
  handler: HttpHandler,
  options: Partial<HttpServerOptions> = {},
): HttpServer {
  return serveHttp(handler, {
    hostname: "127.0.0.1",
    port: 0,
    headerTimeoutMs: 5000,
    idleTimeoutMs: 5000,
    maxConnections: 100,
    ...options,
  });
}

/** Reads from `conn` until the peer closes (or `deadlineMs` passes); the text read. */
export async function readAll(conn: Deno.Conn, deadlineMs = 5000): Promise<string> {
  const parts: Uint8Array[] = [];
  const timer = setTimeout(() => conn.close(), deadlineMs);
  const buf = new Uint8Array(64 * 1024);
  try {
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      parts.push(buf.slice(0, n));
    }
  } catch {
    // closed by the deadline or reset
  } finally {
    clearTimeout(timer);
  }
  try {
    conn.close();
  } catch {
    // already closed
  }
  return new TextDecoder().decode(await new Blob(parts as Uint8Array<ArrayBuffer>[]).bytes());
}

/** Sends `request` (text or bytes) on a new connection and returns all the peer sent back. */
export async function exchange(port: number, request: string | Uint8Array): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const data = typeof request === "string" ? new TextEncoder().encode(request) : request;
  await writeAll(conn, data);
  return await readAll(conn);
}

/** Writes all of `data`. */
export async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let at = 0;
  while (at < data.length) at += await conn.write(data.subarray(at));
}

/** Status codes of the HTTP responses in `text`, in order. */
export function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
}

/** Polls `check` every 5 ms until true; fails after `ms`. */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
