import { Ack } from "../../event/ack.ts";
import type { LogChunk, TraceChunk } from "../../event/chunk.ts";
import { EventTime } from "../../event/event_time.ts";
import { GROUP_END, GROUP_START, type LogRecord } from "../../event/log_record.ts";
import { assertEquals } from "../../testing/assert.ts";
import { CountingAck } from "../../testing/counting_ack.ts";
import { hexSpan } from "../../testing/spans.ts";
import { chunkKeyer } from "./key.ts";
import { partitionChunk } from "./partition_chunk.ts";
import { Rendezvous } from "./rendezvous.ts";
import { splitChunk } from "./split.ts";

function rec(body: Record<string, unknown>, time = new EventTime(1, 0)): LogRecord {
  return { time, metadata: {}, body };
}

Deno.test("splitChunk: the original settles only after every part settled, released once each", async () => {
  const ack = new CountingAck();
  const chunk: LogChunk = {
    signal: "logs",
    tag: "t",
    bytes: 300,
    ack,
    input: "in",
    records: [rec({ p: 0 }), rec({ p: 1 }), rec({ p: 2 }), rec({ p: 1 })],
  };
  const parts = splitChunk(chunk, (i) => chunk.records[i]!.body.p as number);
  assertEquals(parts.map((p) => p.partition), [0, 1, 2]);
  assertEquals(parts.map((p) => p.chunk.records.map((r) => r.body.p)), [[0], [1, 1], [2]]);
  assertEquals(parts.map((p) => p.chunk.bytes), [75, 150, 75]);
  ack.release(); // the route's hold
  for (const p of parts.slice(0, 2)) p.chunk.ack.release();
  await Promise.all(parts.slice(0, 2).map((p) => p.chunk.ack.done));
  assertEquals(ack.settled, false);
  parts[2]!.chunk.ack.release();
  await ack.done;
  assertEquals([ack.releases, ack.extraReleases], [4, 0]);
});

Deno.test("splitChunk copies a log group's markers into each part with records of the group", () => {
  const start = { time: GROUP_START, metadata: { resource: 1 }, body: {} };
  const end = { time: GROUP_END, metadata: {}, body: {} };
  const chunk: LogChunk = {
    signal: "logs",
    tag: "t",
    bytes: 0,
    ack: new Ack(),
    input: "in",
    records: [start, rec({ p: 0 }), rec({ p: 1 }), end, rec({ p: 1 })],
  };
  const parts = splitChunk(chunk, (i) => chunk.records[i]!.body.p as number);
  const shape = (rs: LogRecord[]) => rs.map((r) => r.time.sec < 0 ? r.time.sec : r.body.p);
  assertEquals(parts.map((p) => shape(p.chunk.records)), [[-1, 0, -2], [-1, 1, -2, 1]]);
});

Deno.test("partitionChunk keeps a trace whole and moves a down node's traces to their next choice", () => {
  const traces = ["4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c"];
  const spans = traces.flatMap((t) =>
    ["00f067aa0ba902b7", "00f067aa0ba902b8", "00f067aa0ba902b9"].map((s) => hexSpan(t, s))
  );
  const chunk: TraceChunk = {
    signal: "traces",
    tag: "t",
    bytes: 60,
    ack: new Ack(),
    input: "in",
    records: spans,
  };
  const placement = new Rendezvous(["a", "b", "c"]);
  const keyer = chunkKeyer();
  const parts = partitionChunk(chunk, { keyer, placement });
  for (const p of parts) {
    const ids = new Set(p.chunk.records.map((s) => s.traceId.join()));
    for (const id of ids) {
      assertEquals(p.chunk.records.filter((s) => s.traceId.join() === id).length, 3);
    }
  }
  const down = parts[0]!.partition;
  const moved = partitionChunk(chunk, { keyer, placement, up: (n) => n !== down });
  assertEquals(moved.some((p) => p.partition === down), false);
  assertEquals(moved.reduce((n, p) => n + p.chunk.records.length, 0), 6);
});

Deno.test("chunkKeyer: a hex trace_id in a log hashes as the span's trace ID", () => {
  const t = "4bf92f3577b34da6a3ce929d0e0e4736";
  const keyer = chunkKeyer();
  const span: TraceChunk = {
    signal: "traces",
    tag: "t",
    bytes: 0,
    ack: new Ack(),
    input: "in",
    records: [hexSpan(t, "00f067aa0ba902b7")],
  };
  const log: LogChunk = {
    signal: "logs",
    tag: "t",
    bytes: 0,
    ack: new Ack(),
    input: "in",
    records: [rec({ trace_id: t })],
  };
  assertEquals(keyer(span)[0], keyer(log)[0]);
});
