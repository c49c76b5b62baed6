/**
 * Raw HTTP/1.1 over plain sockets for tests that must send what a well-behaved client
 * would not (half a head, a lying Content-Length) and read back every byte answered.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
 *   new Response("hi"));
 * const text = await exchange(server.addr.port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
 * assertEquals(statuses(text), [200]);
 * await server.shutdown();
 * ```
 */
import { type ByteWriter, writeAll } from "../engine/write_all.ts";

export { type ByteWriter, writeAll };

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

/** Sends `request` (text or bytes) on a new connection to 127.0.0.1 and returns all the peer sent back. */
export async function exchange(port: number, request: string | Uint8Array): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const data = typeof request === "string" ? new TextEncoder().encode(request) : request;
  await writeAll(conn, data);
  return await readAll(conn);
}

/** Status codes of the HTTP/1.1 responses in `text`, in order. */
export function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
}
