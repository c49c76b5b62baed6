import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { Ack } from "../../event/ack.ts";
import type { Chunk, LogChunk, TraceChunk } from "../../event/chunk.ts";
import { EventTime } from "../../event/event_time.ts";
import { emptyResource, type Span } from "../../event/span.ts";
import { testSpan } from "../../testing/spans.ts";
import {
  decodeChunkRecords,
  decodeTyped,
  encodeChunkRecords,
  encodeTyped,
} from "./record_codec.ts";

function span(start: bigint): Span {
  return testSpan({
    resource: { ...emptyResource(), attributes: { "service.name": "a", big: 2n ** 70n } },
    traceId: new Uint8Array([1, 2, 3]),
    spanId: new Uint8Array([4]),
    name: "op",
    kind: 1,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 5n,
    attributes: { neg: -(2n ** 63n), n: 1.5 },
    events: [{ timeUnixNano: 0n, name: "e", attributes: {}, droppedAttributesCount: 0 }],
  });
}

/** A chunk of `records` with placeholder tag, input, size and ack. */
function chunkOf<C extends Chunk>(signal: C["signal"], records: C["records"]): C {
  return { signal, tag: "t", input: "i", bytes: 1, ack: new Ack(), records } as C;
}

Deno.test("encodeChunkRecords() round-trips log records with exact times", () => {
  const chunk = chunkOf<LogChunk>("logs", [
    { time: new EventTime(1_700_000_000, 123_456_789), metadata: {}, body: { a: 1 } },
  ]);
  const back = decodeChunkRecords("logs", encodeChunkRecords(chunk));
  assertEquals(back, chunk.records);
});

Deno.test("encodeChunkRecords() keeps span bigints exact, small and huge alike", () => {
  const chunk = chunkOf<TraceChunk>("traces", [span(1_700_000_000_000_000_001n), span(3n)]);
  const back = decodeChunkRecords("traces", encodeChunkRecords(chunk as Chunk)) as Span[];
  assertEquals(back, chunk.records);
  assertEquals(typeof back[1]!.startTimeUnixNano, "bigint");
  assertEquals(back[0]!.events[0]!.timeUnixNano, 0n);
});

Deno.test("decodeTyped() refuses a payload that is not what encodeTyped() wrote", () => {
  assertEquals(decodeTyped(encodeTyped({ t: new EventTime(5, 6) })), { t: new EventTime(5, 6) });
  assertThrows(() => decodeChunkRecords("metrics", encodeTyped({ not: "an array" })), TypeError);
});

Deno.test("encodeChunkRecords() keeps long and multi-byte strings exact at every header size", () => {
  const records = [63, 64, 86, 255, 256, 21846, 70000].flatMap((n) =>
    ["a", "é", "€", "😀"].map((ch) => ({
      time: new EventTime(1, 2),
      metadata: {},
      body: { log: ch.repeat(n), n },
    }))
  );
  const chunk = chunkOf<LogChunk>("logs", records);
  assertEquals(decodeChunkRecords("logs", encodeChunkRecords(chunk)), records);
});
