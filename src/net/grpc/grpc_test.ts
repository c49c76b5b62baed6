import zlib from "node:zlib";
import { assertEquals } from "../../testing/assert.ts";
import { frameMessage, readMessage } from "./message.ts";
import { GrpcClient } from "./client.ts";
import { GrpcIngress } from "./ingress.ts";
import { GrpcCode } from "./status.ts";
import { retryDelayOf } from "./details.ts";
import { retryInfoDetails } from "./status.ts";

/** An echo server (the response is the request) on 127.0.0.1 with `limit`. */
function echo(limit: number) {
  const ingress = new GrpcIngress(
    (call) => Promise.resolve({ code: GrpcCode.OK, response: call.message }),
    { limit, maxConcurrentStreams: 100, maxConnections: 4, idleTimeoutMs: 5000 },
  );
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepting = (async () => {
    for await (const conn of listener) ingress.take(conn, new Uint8Array(0));
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    async close() {
      listener.close();
      await accepting;
      await ingress.close();
    },
  };
}

Deno.test("unary calls round-trip: a 3 MB message across frames and windows, gzip, 100 at once", async () => {
  const server = echo(8_000_000);
  const client = new GrpcClient({ host: "127.0.0.1", port: server.port, connectTimeoutMs: 2000 });
  try {
    const big = new Uint8Array(3_000_000).map((_, i) => i % 251);
    const r = await client.unary("/x.Y/Z", big, { timeoutMs: 10_000 });
    assertEquals([r.code, r.response?.length], [GrpcCode.OK, big.length]);
    assertEquals(r.response, big);
    const z = await client.unary("/x.Y/Z", big, { timeoutMs: 10_000, gzip: true });
    assertEquals(z.response, big);
    const many = await Promise.all(
      Array.from(
        { length: 100 },
        (_, i) => client.unary("/x.Y/Z", new Uint8Array([i]), { timeoutMs: 10_000 }),
      ),
    );
    assertEquals(many.map((m) => m.response?.[0]), Array.from({ length: 100 }, (_, i) => i));
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("a message over the limit is RESOURCE_EXHAUSTED and the connection goes on", async () => {
  const server = echo(1000);
  const client = new GrpcClient({ host: "127.0.0.1", port: server.port, connectTimeoutMs: 2000 });
  try {
    const r = await client.unary("/x.Y/Z", new Uint8Array(5000), { timeoutMs: 5000 });
    assertEquals(r.code, GrpcCode.RESOURCE_EXHAUSTED);
    const ok = await client.unary("/x.Y/Z", new Uint8Array(10), { timeoutMs: 5000 });
    assertEquals(ok.code, GrpcCode.OK);
  } finally {
    client.close();
    await server.close();
  }
});

Deno.test("retryInfoDetails() and retryDelayOf() agree on the RetryInfo delay", () => {
  assertEquals(retryDelayOf(retryInfoDetails(GrpcCode.UNAVAILABLE, "paused", 3)), 3);
  assertEquals(retryDelayOf("not base64!"), undefined);
});

Deno.test("readMessage() inflates gzip, zstd, deflate and zlib, and refuses snappy", async () => {
  const data = new TextEncoder().encode("hello hello hello");
  const packed: Array<[string, Uint8Array]> = [
    ["gzip", zlib.gzipSync(data)],
    ["zstd", zlib.zstdCompressSync(data)],
    ["deflate", zlib.deflateRawSync(data)],
    ["zlib", zlib.deflateSync(data)],
  ];
  for (const [encoding, bytes] of packed) {
    const out = await readMessage(frameMessage(new Uint8Array(bytes), true), {
      limit: 100,
      encoding,
    });
    assertEquals(new TextDecoder().decode(out), "hello hello hello", encoding);
  }
  let code = -1;
  try {
    await readMessage(frameMessage(data, true), { limit: 100, encoding: "snappy" });
  } catch (e) {
    code = (e as { code: number }).code;
  }
  assertEquals(code, GrpcCode.UNIMPLEMENTED);
});
