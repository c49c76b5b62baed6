import { writeAll } from "../../engine/write_all.ts";
import { assertEquals, assertRejects } from "../../testing/assert.ts";
import { until } from "../../testing/until.ts";
import { ConnectionListener } from "./accept.ts";

Deno.test("ConnectionListener answers on the connection and refuses past its limit", async () => {
  const refused: string[] = [];
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  const listener = await ConnectionListener.listen(
    { hostname: "127.0.0.1", port: 0, maxConnections: 1, onRefused: (p) => refused.push(p) },
    async (conn, peer) => {
      await writeAll(conn, new TextEncoder().encode(peer));
      await held;
    },
  );
  const port = listener.address as number;
  const first = await Deno.connect({ hostname: "127.0.0.1", port });
  const second = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const buf = new Uint8Array(64);
    const n = await first.read(buf);
    const peer = new TextDecoder().decode(buf.subarray(0, n ?? 0));
    assertEquals(peer.startsWith("tcp://127.0.0.1:"), true, peer);
    assertEquals(await second.read(buf), null); // closed at once by the limit
    await until(() => refused.length === 1, "the refusal");
    assertEquals(listener.open, 1);
  } finally {
    release();
    await listener.close();
    await listener.settled();
    first.close();
    second.close();
  }
  assertEquals(listener.open, 0);
});

Deno.test("ConnectionListener refuses a unix path that is not a socket", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/plain`;
  await Deno.writeTextFile(path, "x");
  try {
    await assertRejects(
      () => ConnectionListener.listen({ unixPath: path }, () => Promise.resolve()),
      Error,
      "not a unix socket",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
