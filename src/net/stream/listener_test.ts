import { Logger, memorySink } from "../../engine/log.ts";
import { MetricsRegistry } from "../../engine/metrics.ts";
import { assert, assertEquals } from "../../testing/assert.ts";
import { until, within } from "../../testing/until.ts";
import { writeAll } from "../../engine/write_all.ts";
import { type FrameBatch, StreamListener, type StreamListenOptions } from "./listener.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function options(extra: Partial<StreamListenOptions>): StreamListenOptions {
  return {
    transport: "tcp",
    hostname: "127.0.0.1",
    port: 0,
    framing: { kind: "separator", separator: enc.encode("\n") },
    maxFrameBytes: 1024,
    log: new Logger({ sink: memorySink() }),
    metrics: new MetricsRegistry(),
    name: "test.0",
    ...extra,
  };
}

Deno.test("StreamListener on a unix socket frames octet-counted messages", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/in.sock`;
  const listener = await StreamListener.listen(
    options({ transport: "unix", path, framing: { kind: "octet_counting" } }),
  );
  const conn = await Deno.connect({ transport: "unix", path });
  await writeAll(conn, enc.encode("5 hello11 hello world"));
  conn.close();
  const frames: string[] = [];
  let peer = "";
  for await (const batch of listener) {
    frames.push(...batch.frames.map((f) => dec.decode(f)));
    peer = batch.peer;
    if (frames.length === 2) break;
  }
  await listener.close();
  assertEquals(frames, ["hello", "hello world"]);
  assertEquals(peer, `unix://${path}`);
  assertEquals(await Deno.stat(path).then(() => true, () => false), false, "socket file removed");
});

Deno.test("StreamListener stops reading a connection until its batch is taken", async () => {
  const listener = await StreamListener.listen(options({ readSize: 1024 }));
  const port = (listener.addr as Deno.NetAddr).port;
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const line = "x".repeat(99) + "\n";
  const total = 100_000; // 10 MB: more than the kernel buffers on both sides hold
  let written = false;
  const writing = writeAll(conn, enc.encode(line.repeat(total))).then(() => (written = true));
  // Nothing is taken yet: one batch waits and the connection reads no further.
  await until(() => listener.waiting === 1, "the first batch", { timeout: 10_000 });
  assertEquals(written, false, "the peer's writes finished although nobody read");
  let frames = 0;
  const it = listener[Symbol.asyncIterator]();
  while (frames < total) {
    const { value } = await it.next() as { value: FrameBatch };
    assert(listener.waiting <= 1, "at most one batch waits per connection");
    frames += value.frames.length;
  }
  await writing;
  conn.close();
  await listener.close();
  assertEquals(frames, total);
});

Deno.test("StreamListener.close() ends the iteration after the batches already read", async () => {
  const listener = await StreamListener.listen(options({}));
  const port = (listener.addr as Deno.NetAddr).port;
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await writeAll(conn, enc.encode("a\nb\n"));
  await until(() => listener.waiting === 1, "a batch", { timeout: 10_000 });
  await listener.close();
  const got: string[] = [];
  for await (const batch of listener) got.push(...batch.frames.map((f) => dec.decode(f)));
  assertEquals(got, ["a", "b"]);
  conn.close();
});

Deno.test("StreamListener hands over the frames cut before a framing error, then closes", async () => {
  const listener = await StreamListener.listen(options({
    framing: {
      kind: "custom",
      create: () => ({
        push(data, out) {
          out.push(data.subarray(0, 1));
          throw new SyntaxError("Cannot frame: bad input");
        },
        end: () => null,
      }),
    },
  }));
  const { port } = listener.addr as Deno.NetAddr;
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await writeAll(conn, enc.encode("abc"));
  try {
    const it = listener[Symbol.asyncIterator]();
    const batch = (await within(it.next(), "the frame cut before the error")).value as FrameBatch;
    assertEquals(batch.frames.map((f) => dec.decode(f)), ["a"]);
    assertEquals(batch.last, true);
    await until(() => listener.stats.framingErrors === 1, "the framing error", { timeout: 10_000 });
    // The listener closed the connection: the peer reads end of stream.
    assertEquals(await conn.read(new Uint8Array(8)), null);
  } finally {
    conn.close();
    await listener.close();
  }
});
