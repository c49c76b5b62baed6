import { Ack } from "../../../src/event/ack.ts";
import type { LogChunk, TraceChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { testSpan } from "../../../src/testing/spans.ts";
import { groupEnd, groupStart } from "./_testing.ts";
import { indexesByNode } from "./balance_split.ts";

Deno.test("indexesByNode repeats a group's markers into each node with records of it, leaves empty groups out", () => {
  const rec = (node: number) => ({ time: new EventTime(1, 0), metadata: {}, body: { node } });
  const records = [
    groupStart("a", { resource: 1, scope: 1 }), // 0
    rec(0), // 1
    rec(1), // 2
    groupEnd(), // 3
    groupStart("b", { resource: 2, scope: 1 }), // 4
    rec(1), // 5
    groupEnd(), // 6
    groupStart("c", { resource: 3, scope: 1 }), // 7: no records
    groupEnd(), // 8
    rec(0), // 9: outside any group
  ];
  const chunk: LogChunk = {
    signal: "logs",
    tag: "t",
    bytes: 0,
    ack: new Ack(),
    input: "i",
    records,
  };
  const parts = indexesByNode(chunk, (i) => records[i]!.body.node as number);
  assertEquals([...parts], [[0, [0, 1, 3, 9]], [1, [0, 2, 3, 4, 5, 6]]]);
});

Deno.test("indexesByNode on spans keeps the records' order within each node", () => {
  const records = [0, 1, 0, 2, 1].map(() => testSpan());
  const chunk: TraceChunk = {
    signal: "traces",
    tag: "t",
    bytes: 0,
    ack: new Ack(),
    input: "i",
    records,
  };
  const nodes = [0, 1, 0, 2, 1];
  assertEquals([...indexesByNode(chunk, (i) => nodes[i]!)], [[0, [0, 2]], [1, [1, 4]], [2, [3]]]);
});
