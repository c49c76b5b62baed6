import { Ack } from "../../../src/event/ack.ts";
import type { TraceChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { GROUP_END, GROUP_START } from "../../../src/event/log_record.ts";
import { decodeTraces } from "../../../src/otlp/mod.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { logChunk } from "../../../src/testing/filter_context.ts";
import { hexSpan } from "../../../src/testing/spans.ts";
import { encodeChunk } from "./payload.ts";

const dec = new TextDecoder();

Deno.test("nats payload: Fluent Bit's test vector, metadata and group markers left out", () => {
  const chunk = logChunk([{ m: "x" }, { n: 2 }], "app");
  chunk.records[0]!.time = new EventTime(1700000000, 500_000_000);
  chunk.records[0]!.metadata = { otlp: { severity: 9 } };
  chunk.records[1]!.time = new EventTime(1700000001, 0);
  chunk.records.unshift({ time: GROUP_START, metadata: {}, body: {} });
  chunk.records.push({ time: GROUP_END, metadata: {}, body: {} });
  const { messages } = encodeChunk(chunk, chunk.records, {
    maxBytes: 1 << 20,
    escapeUnicode: true,
  });
  const text = dec.decode(messages[0]!.payload);
  assertEquals(
    text,
    '[[1700000000.5,{"tag":"app","m":"x"}],[1700000001.0,{"tag":"app","n":2}]]',
  );
  assertEquals(text.length, 73); // `PUB app 73` in the reference
});

Deno.test("nats payload: cut into messages under max_payload at the same records every time; an oversized record is counted", () => {
  const bodies = Array.from({ length: 100 }, (_, i) => ({ i, pad: "y".repeat(40) }));
  bodies[50] = { i: 50, pad: "z".repeat(5000) };
  const chunk = logChunk(bodies, "t");
  const opts = { maxBytes: 1000, escapeUnicode: true };
  const a = encodeChunk(chunk, chunk.records, opts);
  const b = encodeChunk(chunk, chunk.records, opts);
  assertEquals(a.oversized, 1);
  assertEquals(
    a.messages.map((m) => dec.decode(m.payload)),
    b.messages.map((m) => dec.decode(m.payload)),
  );
  let n = 0;
  for (const m of a.messages) {
    assertEquals(m.payload.length <= 1000, true);
    n += (JSON.parse(dec.decode(m.payload)) as unknown[]).length;
  }
  assertEquals(n, 99);
});

Deno.test("nats payload: spans go as OTLP protobuf, split in halves to fit", () => {
  const spans = Array.from(
    { length: 40 },
    (_, i) =>
      hexSpan("4bf92f3577b34da6a3ce929d0e0e4736", (i + 1).toString(16).padStart(16, "0"), {
        name: "op".repeat(20),
      }),
  );
  const chunk: TraceChunk = {
    signal: "traces",
    tag: "t",
    bytes: 0,
    ack: new Ack(),
    input: "in",
    records: spans,
  };
  const { messages } = encodeChunk(chunk, spans, { maxBytes: 1500, escapeUnicode: true });
  assertEquals(messages.length > 1, true);
  const back = messages.flatMap((m) => decodeTraces(m.payload, "protobuf"));
  assertEquals(back.map((s) => s.spanId), spans.map((s) => s.spanId));
  assertEquals(messages.every((m) => m.signal === "traces"), true);
});
