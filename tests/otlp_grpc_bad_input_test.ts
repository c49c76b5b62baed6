/**
 * Hostile OTLP/gRPC input against the sluice CLI, over raw HTTP/2 frames: malformed gRPC
 * messages, a wrong content type, a declared length over the limit, a gzip bomb, a stream
 * reset mid-message, 1,000 idle streams, garbage frames. Each call gets a gRPC status (or
 * an HTTP/2 refusal), memory stays bounded and the process keeps serving.
 */
import zlib from "node:zlib";
import { frameMessage } from "../src/net/grpc/mod.ts";
import { encodeFrame, FrameType, H2Error, rstFrame } from "../src/net/http2/frames.ts";
import { encodeHeaders } from "../src/net/http2/hpack.ts";
import { encodeTraces } from "../src/otlp/mod.ts";
import { assert, assertEquals } from "../src/testing/assert.ts";
import { hexSpan } from "../src/testing/spans.ts";
import { freePort, waitFor } from "./_helpers.ts";
import { RawH2 } from "./_h2_raw.ts";
import { type SluiceProcess, startSluice, waitListening } from "./_otlp_helpers.ts";

const GOOD = encodeTraces(
  [hexSpan("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174")],
  "protobuf",
);

async function withSluice(fn: (port: number, sluice: SluiceProcess) => Promise<void>) {
  const port = freePort();
  const sluice = await startSluice(`
service:
  flush: 0.2
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
      buffer_max_size: 1M
      http_server.idle_timeout: 1s
  outputs:
    - name: null
      match: '*'
`);
  try {
    await waitListening(port);
    await fn(port, sluice);
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
  }
}

/** A good export on a fresh connection still succeeds: the input is alive. */
async function stillServing(port: number): Promise<void> {
  const c = await RawH2.connect(port);
  await c.call(1);
  await c.data(1, frameMessage(GOOD), true);
  await waitFor(() => c.status(1), { what: "the status of a good call" });
  assertEquals(c.status(1), "0");
  await c.close();
}

function rssKb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0");
}

Deno.test("malformed gRPC messages, a wrong content type and a bad method each get a status", async () => {
  await withSluice(async (port) => {
    const c = await RawH2.connect(port);
    await c.call(1);
    await c.data(1, new Uint8Array([0, 0, 0]), true); // shorter than the prefix
    const flag2 = frameMessage(GOOD);
    flag2[0] = 2;
    await c.call(3);
    await c.data(3, flag2, true); // compressed flag 2
    await c.call(5);
    await c.data(5, frameMessage(GOOD).subarray(0, 20), true); // cut short
    await c.call(7);
    await c.data(7, frameMessage(new Uint8Array([0xff, 0xff, 0xff])), true); // not protobuf
    await c.call(9, [["grpc-encoding", "gzip"]]);
    await c.data(9, frameMessage(new Uint8Array([1, 2, 3, 4]), true), true); // not gzip
    await c.call(11, [["grpc-encoding", "snappy"]]);
    await c.data(11, frameMessage(new Uint8Array([1, 2, 3]), true), true);
    await c.write(encodeFrame(
      FrameType.HEADERS,
      0x5,
      13,
      encodeHeaders([
        [":method", "POST"],
        [":scheme", "http"],
        [":path", "/opentelemetry.proto.collector.trace.v1.TraceService/Export"],
        [":authority", "x"],
        ["content-type", "application/json"],
      ]),
    ));
    await c.call(15, [[":path", "/nope.Service/Export"]]);
    await c.data(15, frameMessage(GOOD), true);
    const ids = [1, 3, 5, 7, 9, 11, 13, 15];
    await waitFor(() => ids.every((id) => c.status(id) !== undefined), {
      what: "a status for every malformed call",
    });
    assertEquals(ids.map((id) => c.status(id)), ["3", "3", "3", "3", "3", "12", "3", "12"]);
    const ct = c.streams.get(13)!.headers[0]!.find(([n]) => n === ":status");
    assertEquals(ct?.[1], "415");
    await c.close();
    await stillServing(port);
  });
});

Deno.test("a declared length over the limit and a gzip bomb are RESOURCE_EXHAUSTED", async () => {
  await withSluice(async (port, sluice) => {
    const c = await RawH2.connect(port);
    const huge = new Uint8Array(5);
    new DataView(huge.buffer).setUint32(1, 100_000_000);
    await c.call(1);
    await c.data(1, huge, false); // only the prefix: refused before any of the bytes
    await waitFor(() => c.status(1), { what: "the status of an oversized call" });
    assertEquals(c.status(1), "8");
    const bomb = new Uint8Array(zlib.gzipSync(new Uint8Array(200_000_000)));
    assert(bomb.length < 1_000_000, `the bomb is small: ${bomb.length}`);
    const before = rssKb(sluice.child.pid);
    await c.call(3, [["grpc-encoding", "gzip"]]);
    await c.data(3, frameMessage(bomb, true), true);
    await waitFor(() => c.status(3), { what: "the status of the bomb" });
    assertEquals(c.status(3), "8");
    const grew = rssKb(sluice.child.pid) - before;
    assert(grew < 100_000, `memory grew by ${grew} KiB inflating a 200 MB bomb`);
    await c.close();
    await stillServing(port);
  });
});

Deno.test("a stream reset mid-message and garbage frames leave the input serving", async () => {
  await withSluice(async (port) => {
    const c = await RawH2.connect(port);
    await c.call(1);
    await c.data(1, frameMessage(GOOD).subarray(0, 30), false);
    await c.write(rstFrame(1, H2Error.CANCEL));
    await c.call(3); // the same connection goes on
    await c.data(3, frameMessage(GOOD), true);
    await waitFor(() => c.status(3), { what: "a call after the reset" });
    assertEquals(c.status(3), "0");
    assertEquals(c.status(1), undefined, "the reset stream got no answer");
    await c.close();
    const g = await RawH2.connect(port);
    await g.write(new Uint8Array([0, 0, 4, 0xee, 0, 0, 0, 0, 1, 1, 2, 3, 4])); // unknown type
    await g.write(encodeFrame(FrameType.CONTINUATION, 4, 7, new Uint8Array(3))); // stray
    await waitFor(() => g.goaway !== undefined || g.closed, { what: "GOAWAY for garbage" });
    assertEquals(g.goaway, H2Error.PROTOCOL_ERROR);
    await g.close();
    await stillServing(port);
  });
});

Deno.test("1,000 idle HTTP/2 streams: 100 time out with a status, the rest are refused", async () => {
  await withSluice(async (port, sluice) => {
    const before = rssKb(sluice.child.pid);
    const c = await RawH2.connect(port);
    for (let id = 1; id < 2000; id += 2) await c.call(id);
    await waitFor(() => {
      let done = 0;
      for (let id = 1; id < 2000; id += 2) {
        if (c.status(id) !== undefined || c.streams.get(id)?.rst !== undefined) done++;
      }
      return done === 1000;
    }, { what: "an answer for each of 1,000 idle streams", timeoutMs: 20_000 });
    let timedOut = 0;
    let refused = 0;
    for (let id = 1; id < 2000; id += 2) {
      if (c.status(id) === "4") timedOut++;
      else if (c.streams.get(id)?.rst === H2Error.REFUSED_STREAM) refused++;
    }
    assertEquals([timedOut, refused], [100, 900]);
    const grew = rssKb(sluice.child.pid) - before;
    assert(grew < 100_000, `memory grew by ${grew} KiB`);
    await c.close();
    await stillServing(port);
  });
});
