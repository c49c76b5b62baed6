import { PermanentError, RetryableError } from "../../engine/errors.ts";
import { writeAll } from "../../engine/write_all.ts";
import { assert, assertEquals, assertRejects } from "../../testing/assert.ts";
import { dial, dialEndpoint } from "./dial.ts";

Deno.test("dial() over a unix socket reads the peer's answer back", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/peer.sock`;
  const server = Deno.listen({ transport: "unix", path });
  const echo = (async () => {
    const conn = await server.accept();
    const buf = new Uint8Array(16);
    const n = await conn.read(buf);
    await writeAll(conn, buf.subarray(0, n ?? 0));
    conn.close();
  })();
  try {
    const s = await dial({ host: "", port: 0, unixPath: path, connectTimeoutMs: 5000 });
    await writeAll(s, new Uint8Array([1, 2, 3]));
    const buf = new Uint8Array(16);
    const n = await s.read(buf);
    assertEquals(Array.from(buf.subarray(0, n ?? 0)), [1, 2, 3]);
    await echo;
    s.close();
  } finally {
    server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dial() refused is a RetryableError naming the endpoint, not a PermanentError", async () => {
  const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = free.addr.port;
  free.close();
  const e = await assertRejects(
    () => dial({ host: "127.0.0.1", port, connectTimeoutMs: 5000 }),
    RetryableError,
    `Cannot connect to 127.0.0.1:${port}`,
  );
  assert(!(e instanceof PermanentError));
  assertEquals(dialEndpoint({ host: "::1", port: 24224 }), "[::1]:24224");
  assertEquals(dialEndpoint({ host: "", port: 0, unixPath: "/run/s" }), "unix:///run/s");
});
