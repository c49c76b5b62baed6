import { assert, assertEquals } from "../../../src/testing/assert.ts";
import { MetricsRegistry } from "../../../src/engine/metrics.ts";
import type { TraceChunk } from "../../../src/event/chunk.ts";
import { SamplingMetrics } from "./metrics.ts";
import { probabilisticStep, sampledAt, traceBucket } from "./probabilistic.ts";
import { span, traceChunk } from "./_testing.ts";

function randomId(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(16));
}

Deno.test("traceBucket() is the first 8 bytes big-endian mod 1e6 / 1e4, as Fluent Bit", () => {
  for (let i = 0; i < 2000; i++) {
    const id = randomId();
    const n = new DataView(id.buffer).getBigUint64(0, false);
    assertEquals(traceBucket(id), Number(n % 1_000_000n) / 10_000);
  }
  const max = new Uint8Array(16).fill(0xff);
  assertEquals(traceBucket(max), Number(0xffffffffffffffffn % 1_000_000n) / 10_000);
});

Deno.test("traceBucket() reads a trace ID shorter than 16 bytes as 0 (Fluent Bit's rule)", () => {
  assertEquals(traceBucket(new Uint8Array(0)), 0);
  assertEquals(traceBucket(new Uint8Array(8).fill(0xff)), 0);
  assert(sampledAt(new Uint8Array(0), 0.01));
  assert(!sampledAt(new Uint8Array(0), 0));
});

Deno.test("probabilisticStep() keeps about the percentage of traces, whole", () => {
  const spans = [];
  for (let t = 0; t < 4000; t++) {
    const id = randomId();
    for (let s = 0; s < 3; s++) spans.push(span({ traceId: id }));
  }
  const out = probabilisticStep(40)(traceChunk(spans)) as TraceChunk;
  const perTrace = new Map<Uint8Array, number>();
  for (const s of out.records) perTrace.set(s.traceId, (perTrace.get(s.traceId) ?? 0) + 1);
  for (const n of perTrace.values()) assertEquals(n, 3, "a trace is kept whole");
  const share = perTrace.size / 4000;
  assert(share > 0.36 && share < 0.44, `kept ${share}`);
});

Deno.test("probabilisticStep() returns the chunk itself when all is kept, null when none is", () => {
  const c = traceChunk([span({ traceId: randomId() })]);
  assertEquals(probabilisticStep(100)(c), c);
  assertEquals(probabilisticStep(0)(c), null);
});

Deno.test("probabilisticStep() counts spans in, out and dropped", () => {
  const registry = new MetricsRegistry();
  const m = new SamplingMetrics(registry, "s");
  const c = traceChunk([
    span({ traceId: new Uint8Array(16) }),
    span({ traceId: new Uint8Array(16).fill(0x40) }),
  ]);
  const pct = traceBucket(c.records[1]!.traceId);
  probabilisticStep(pct, m)(c);
  assertEquals(registry.value("sluice_sampling_spans_in_total", { name: "s" }), 2);
  assertEquals(registry.value("sluice_sampling_spans_out_total", { name: "s" }), 1);
  assertEquals(registry.value("sluice_sampling_spans_dropped_total", { name: "s" }), 1);
});
