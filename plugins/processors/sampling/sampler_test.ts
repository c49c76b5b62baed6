import { assert, assertEquals, assertStringIncludes } from "../../../src/testing/assert.ts";
import { Logger, memorySink } from "../../../src/engine/log.ts";
import { MetricsRegistry } from "../../../src/engine/metrics.ts";
import type { TraceChunk } from "../../../src/event/chunk.ts";
import { emptyResource, emptyScope } from "../../../src/event/span.ts";
import { parseConditions } from "./conditions/mod.ts";
import { SamplingMetrics } from "./metrics.ts";
import { TailSampler } from "./sampler.ts";
import {
  deliver,
  settleMicrotasks,
  span,
  spanId,
  tailSettings,
  traceChunk,
  traceId,
  traceNumbers,
} from "./_testing.ts";

const ERRORS = [{ type: "status_code", status_codes: ["ERROR"] }];

function sampler(
  settings: Record<string, unknown> = {},
  conditions: unknown[] = ERRORS,
  registry = new MetricsRegistry(),
): TailSampler {
  return new TailSampler({
    settings: tailSettings({ decision_wait: "5s", ...settings }),
    conditions: parseConditions(conditions),
    metrics: new SamplingMetrics(registry, "s"),
  });
}

const m = (r: MetricsRegistry, name: string, labels: Record<string, string> = {}) =>
  r.value(`sluice_sampling_${name}`, { name: "s", ...labels });

Deno.test("TailSampler holds a trace for decision_wait, then emits it whole in one chunk", async () => {
  const s = sampler();
  const a = traceChunk([span({ traceId: traceId(1) }), span({ traceId: traceId(2) })]);
  const b = traceChunk([span({ traceId: traceId(1), status: 2 })]);
  assertEquals(s.ingest(a, 0), []);
  assertEquals(s.ingest(b, 1000), []);
  assertEquals(s.decideDue(4999), []);
  assertEquals(s.nextDeadline(), 5000);
  const out = s.decideDue(5000);
  assertEquals(out.length, 1);
  assertEquals(out[0]!.records.length, 2);
  assertEquals(traceNumbers(out), [1]);
  assertEquals(out[0]!.tag, "otel");
  assertEquals(out[0]!.input, "opentelemetry.0");
  await settleMicrotasks();
  assertEquals(a.ack.settled, false, "a's kept span is still in flight");
  assertEquals(b.ack.settled, false);
  deliver(out);
  await settleMicrotasks();
  assertEquals(a.ack.settledCount, 1);
  assertEquals(b.ack.settledCount, 1);
  assertEquals(s.pendingTraces, 0);
});

Deno.test("TailSampler releases a chunk at once when all its spans are dropped", () => {
  const s = sampler();
  const a = traceChunk([span({ traceId: traceId(1) }), span({ traceId: traceId(1) })]);
  s.ingest(a, 0);
  assertEquals(s.decideDue(5000), []);
  assertEquals(a.ack.settledCount, 1);
});

Deno.test("TailSampler keeps resource and scope objects by reference, missing scope included", () => {
  const s = sampler({}, []);
  const resource = { ...emptyResource(), attributes: { "service.name": "api" } };
  const scope = emptyScope();
  const spans = [
    span({ traceId: traceId(1), resource, scope }),
    span({ traceId: traceId(1), resource, scope }),
  ];
  s.ingest(traceChunk(spans), 0);
  const [out] = s.decideDue(5000) as TraceChunk[];
  assert(out !== undefined);
  assert(out.records[0]!.resource === resource && out.records[1]!.resource === resource);
  assert(out.records[0]!.scope === scope);
  assert(out.records[0] === spans[0], "the span object itself goes on");
});

Deno.test("TailSampler groups emitted spans by the input and tag they came with", () => {
  const s = sampler({}, []);
  s.ingest(traceChunk([span({ traceId: traceId(1) })], { tag: "a" }), 0);
  s.ingest(traceChunk([span({ traceId: traceId(1) })], { tag: "b", input: "other.0" }), 0);
  const out = s.decideDue(5000);
  assertEquals(out.map((c) => [c.tag, c.input, c.records.length]).sort(), [
    ["a", "opentelemetry.0", 1],
    ["b", "other.0", 1],
  ]);
});

Deno.test("TailSampler: late spans follow the cached decision, counted by decision", async () => {
  const r = new MetricsRegistry();
  const s = sampler({}, ERRORS, r);
  s.ingest(
    traceChunk([span({ traceId: traceId(1), status: 2 }), span({ traceId: traceId(2) })]),
    0,
  );
  deliver(s.decideDue(5000));
  const late = traceChunk([
    span({ traceId: traceId(1) }),
    span({ traceId: traceId(2), status: 2 }),
  ]);
  const out = s.ingest(late, 6000);
  assertEquals(traceNumbers(out), [1], "the kept trace's late span passes at once, alone");
  assertEquals(s.pendingTraces, 0, "nothing re-buffered");
  assertEquals(m(r, "late_spans_total", { decision: "keep" }), 1);
  assertEquals(m(r, "late_spans_total", { decision: "drop" }), 1);
  deliver(out);
  await settleMicrotasks();
  assertEquals(late.ack.settledCount, 1);
});

Deno.test("TailSampler without a decision cache judges late spans as a new trace (Fluent Bit)", () => {
  const s = sampler({ decision_cache_keep_size: 0, decision_cache_drop_size: 0 });
  s.ingest(traceChunk([span({ traceId: traceId(1), status: 2 })]), 0);
  assertEquals(traceNumbers(s.decideDue(5000)), [1]);
  assertEquals(s.ingest(traceChunk([span({ traceId: traceId(1) })]), 6000), []);
  assertEquals(s.pendingTraces, 1);
  assertEquals(s.decideDue(11000), [], "the late OK span alone is dropped");
});

Deno.test("TailSampler at max_traces with decide_early decides the oldest trace now, counted", () => {
  const r = new MetricsRegistry();
  const s = sampler({ max_traces: 2 }, ERRORS, r);
  s.ingest(traceChunk([span({ traceId: traceId(1), status: 2 })]), 0);
  s.ingest(traceChunk([span({ traceId: traceId(2) })]), 10);
  const out = s.ingest(traceChunk([span({ traceId: traceId(3) })]), 20);
  assertEquals(traceNumbers(out), [1]);
  assertEquals(s.pendingTraces, 2);
  assertEquals(m(r, "traces_decided_early_total"), 1);
  assertEquals(m(r, "traces_kept_total"), 1);
  assertEquals(m(r, "traces_pending"), 2);
  assertEquals(traceNumbers(s.ingest(traceChunk([span({ traceId: traceId(1) })]), 30)), [1]);
});

Deno.test("TailSampler at max_traces with drop_oldest drops the oldest unevaluated, counted", () => {
  const r = new MetricsRegistry();
  const s = sampler({ max_traces: 2, max_traces_policy: "drop_oldest" }, ERRORS, r);
  const first = traceChunk([span({ traceId: traceId(1), status: 2 })]);
  s.ingest(first, 0);
  s.ingest(traceChunk([span({ traceId: traceId(2) })]), 10);
  assertEquals(s.ingest(traceChunk([span({ traceId: traceId(3) })]), 20), []);
  assertEquals(first.ack.settledCount, 1, "its spans are released");
  assertEquals(m(r, "evictions_total"), 1);
  assertEquals(m(r, "traces_dropped_total"), 1);
  assertEquals(s.ingest(traceChunk([span({ traceId: traceId(1), status: 2 })]), 30), []);
  assertEquals(m(r, "late_spans_total", { decision: "undecided" }), 1);
});

Deno.test("TailSampler applies the policy when max_buffered_bytes is passed", () => {
  const r = new MetricsRegistry();
  const s = sampler({ max_buffered_bytes: 1000 }, [], r);
  s.ingest(
    traceChunk([span({ traceId: traceId(1) }), span({ traceId: traceId(2) })], { bytes: 800 }),
    0,
  );
  assertEquals(s.bufferedBytes, 800);
  const out = s.ingest(traceChunk([span({ traceId: traceId(3) })], { bytes: 300 }), 5);
  assertEquals(traceNumbers(out), [1]);
  assertEquals(s.bufferedBytes, 700);
  assertEquals(m(r, "traces_decided_early_total"), 1);
});

Deno.test("TailSampler estimates span bytes when a chunk does not say its size", () => {
  const s = sampler();
  s.ingest(traceChunk([span({ traceId: traceId(1) })], { bytes: 0 }), 0);
  assert(s.bufferedBytes > 0);
});

Deno.test("TailSampler decides a trace sooner once its root arrived (decision_wait_after_root)", () => {
  const s = sampler({ decision_wait_after_root: "1s" }, []);
  s.ingest(traceChunk([span({ traceId: traceId(1) }), span({ traceId: traceId(2) })]), 0);
  s.ingest(
    traceChunk([span({ traceId: traceId(2), parent: new Uint8Array(0), spanId: spanId(7) })]),
    500,
  );
  assertEquals(s.nextDeadline(), 1500);
  assertEquals(traceNumbers(s.decideDue(1500)), [2]);
  assertEquals(s.nextDeadline(), 5000);
  assertEquals(traceNumbers(s.decideDue(5000)), [1]);
});

Deno.test("TailSampler without decision_wait_after_root waits the full decision_wait after a root", () => {
  const s = sampler({}, []);
  s.ingest(traceChunk([span({ traceId: traceId(1), parent: new Uint8Array(8) })]), 0);
  assertEquals(s.decideDue(4999), []);
  assertEquals(traceNumbers(s.decideDue(5000)), [1]);
});

Deno.test("TailSampler.flush() decides every pending trace instead of dropping it", () => {
  const r = new MetricsRegistry();
  const s = sampler({}, ERRORS, r);
  s.ingest(
    traceChunk([span({ traceId: traceId(1), status: 2 }), span({ traceId: traceId(2) })]),
    0,
  );
  assertEquals(traceNumbers(s.flush(100)), [1]);
  assertEquals(s.pendingTraces, 0);
  assertEquals(m(r, "traces_kept_total"), 1);
  assertEquals(m(r, "traces_dropped_total"), 1);
});

Deno.test("TailSampler releases an empty chunk at once and emits nothing", () => {
  const s = sampler();
  const c = traceChunk([]);
  assertEquals(s.ingest(c, 0), []);
  assertEquals(c.ack.settledCount, 1);
});

Deno.test("TailSampler records the decision latency histogram", () => {
  const r = new MetricsRegistry();
  const s = sampler({}, [], r);
  s.ingest(traceChunk([span({ traceId: traceId(1) })]), 0);
  s.decideDue(5000);
  assertEquals(m(r, "decision_latency_seconds_count"), 1);
  assertEquals(m(r, "decision_latency_seconds_sum"), 5);
  assertEquals(m(r, "decision_latency_seconds_bucket", { le: "2.5" }), 0);
  assertEquals(m(r, "decision_latency_seconds_bucket", { le: "5" }), 1);
  assertEquals(m(r, "decision_latency_seconds_bucket", { le: "+Inf" }), 1);
  assertEquals(m(r, "spans_in_total"), 1);
  assertEquals(m(r, "spans_out_total"), 1);
});

Deno.test("TailSampler with debug logs each decision with the trace ID in hex", () => {
  const sink = memorySink();
  const s = new TailSampler({
    settings: tailSettings({ decision_wait: "1s" }),
    conditions: parseConditions(ERRORS),
    log: new Logger({ sink }),
    debug: true,
  });
  s.ingest(traceChunk([span({ traceId: traceId(0x0102, 0) })]), 0);
  s.decideDue(1000);
  assertStringIncludes(
    sink.lines.join(""),
    "trace 00000000000000000000000000000102 dropped: 1 spans",
  );
});
