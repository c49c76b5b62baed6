import type { MetricChunk } from "../../../src/event/chunk.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { EmitterHub } from "../../../src/engine/emitter.ts";
import { assert, assertEquals, assertMatch, assertThrows } from "../../../src/testing/assert.ts";
import {
  bodiesOf,
  logChunk,
  optionsFromYaml,
  testFilterContext,
} from "../../../src/testing/filter_context.ts";
import type { HistogramDataPoint, NumberDataPoint } from "../../../src/otlp/metric_data.ts";
import { plugin } from "./mod.ts";
import { logToMetricsOptions } from "./options.ts";

async function l2m(section: Record<string, unknown>) {
  const emitters = new EmitterHub();
  const ctx = testFilterContext({ name: "log_to_metrics.0", emitters });
  const values = optionsFromYaml(logToMetricsOptions, {
    tag: "m",
    metric_description: "d",
    ...section,
  });
  const inst = await plugin.create(values as never, ctx);
  const emitted = () => emitters.emitters[0]!.drain<MetricChunk>();
  const run = (bodies: RecordMap[]) => inst.process!(logChunk(bodies, "app"));
  return { run, emitted, ctx, emitters, inst };
}

function points(c: MetricChunk): { labels: unknown; value: unknown }[] {
  const d = c.records[0]!.data as Record<string, { dataPoints: NumberDataPoint[] }>;
  const [kind] = Object.keys(d);
  return d[kind!]!.dataPoints.map((p) => ({ labels: p.attributes, value: p.value }));
}

Deno.test("log_to_metrics counter counts records per label value (vector 1)", async () => {
  const f = await l2m({ metric_name: "requests", label_field: "status" });
  const out = f.run([{ status: "200" }, { status: "500" }, { status: "200" }]);
  assertEquals(bodiesOf(out).length, 3);
  const [c, ...more] = f.emitted();
  assertEquals([c!.tag, c!.input, c!.signal, more.length], [
    "m",
    "emitter_for_log_to_metrics.0",
    "metrics",
    0,
  ]);
  const m = c!.records[0]!;
  assertEquals([m.name, m.description], ["log_metric_counter_requests", "d"]);
  const sum = m.data.sum as { isMonotonic: boolean; aggregationTemporality: number };
  assertEquals([sum.isMonotonic, sum.aggregationTemporality], [true, 2]);
  assertEquals(points(c!), [
    { labels: { status: "200" }, value: 2 },
    { labels: { status: "500" }, value: 1 },
  ]);
  f.run([{ status: "500" }]);
  assertEquals(points(f.emitted()[0]!)[1], { labels: { status: "500" }, value: 2 });
});

Deno.test("log_to_metrics gauge reads value_field; a string is read as %lf (vector 2)", async () => {
  const f = await l2m({
    metric_mode: "gauge",
    metric_name: "latency",
    value_field: "$latency",
    add_label: "svc $kubernetes['app']",
  });
  f.run([{ latency: "12.5", kubernetes: { app: "web" } }, { latency: "7ms" }]);
  const [c] = f.emitted();
  assertEquals(c!.records[0]!.name, "log_metric_gauge_latency");
  assertEquals(points(c!), [
    { labels: { svc: "web" }, value: 12.5 },
    { labels: { svc: "" }, value: 7 },
  ]);
});

Deno.test("log_to_metrics histogram buckets (sorted), sum and count per series", async () => {
  const f = await l2m({
    metric_mode: "histogram",
    metric_name: "lat",
    metric_namespace: "",
    metric_subsystem: "app",
    value_field: "v",
    bucket: ["20", "5"],
  });
  f.run([{ v: 12.5 }, { v: 5 }, { v: 100 }]);
  const m = f.emitted()[0]!.records[0]!;
  assertEquals(m.name, "app_lat");
  const h = m.data.histogram as {
    dataPoints: HistogramDataPoint[];
    aggregationTemporality: number;
  };
  const p = h.dataPoints[0]!;
  assertEquals([p.explicitBounds, p.bucketCounts, p.count, p.sum, h.aggregationTemporality], [
    [5, 20],
    [1n, 1n, 1n],
    3n,
    117.5,
    2,
  ]);
  assert(p.startTimeUnixNano > 0n && p.timeUnixNano >= p.startTimeUnixNano);
});

Deno.test("log_to_metrics histogram default buckets are Fluent Bit's", async () => {
  const f = await l2m({ metric_mode: "histogram", value_field: "v" });
  f.run([{ v: 0.3 }]);
  const h = f.emitted()[0]!.records[0]!.data.histogram as { dataPoints: HistogramDataPoint[] };
  assertEquals(h.dataPoints[0]!.explicitBounds, [
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1,
    2.5,
    5,
    10,
  ]);
  assertEquals(h.dataPoints[0]!.bucketCounts[6], 1n);
});

Deno.test('log_to_metrics label values: ints, %f floats, "" for missing and non-scalars; kubernetes first', async () => {
  const f = await l2m({ kubernetes_mode: true, label_field: ["a", "b", "c", "d"] });
  f.run([{ a: 3, b: 0.5, c: true, kubernetes: { pod_name: "p", namespace_name: "ns" } }]);
  assertEquals(points(f.emitted()[0]!)[0]!.labels, {
    namespace_name: "ns",
    pod_name: "p",
    container_name: "",
    docker_id: "",
    pod_id: "",
    a: "3",
    b: "0.500000",
    c: "",
    d: "",
  });
});

Deno.test("log_to_metrics regex/exclude rules apply in the order written; the first decisive wins", async () => {
  // regex first: a match counts at once, the exclude after it is not tried.
  const a = await l2m({ regex: "level ^err", exclude: "msg secret" });
  a.run([{ level: "error", msg: "secret" }, { level: "info" }, { level: 5 }]);
  assertEquals(points(a.emitted()[0]!)[0]!.value, 1);
  // exclude written first: it is tried first.
  const values = optionsFromYaml(logToMetricsOptions, {
    tag: "m",
    metric_description: "d",
    exclude: "msg secret",
    regex: "level ^err",
  });
  const emitters = new EmitterHub();
  const inst = await plugin.create(values as never, testFilterContext({ emitters }));
  inst.process!(logChunk([{ level: "error", msg: "secret" }, { level: "error" }]));
  assertEquals(points(emitters.emitters[0]!.drain<MetricChunk>()[0]!)[0]!.value, 1);
});

Deno.test("log_to_metrics emits nothing for a chunk with no matching record; discard_logs drops the logs", async () => {
  const f = await l2m({ regex: "level ^err", discard_logs: true });
  assertEquals(f.run([{ level: "info" }]), null);
  assertEquals(f.emitted().length, 0);
  const chunk = logChunk([{ level: "error" }], "app");
  assertEquals(f.inst.process!(chunk), null);
  const [c] = f.emitted();
  assert(!chunk.ack.settled, "the log chunk's ack waits for the metrics");
  c!.ack.release();
  chunk.ack.release();
  await chunk.ack.done;
});

Deno.test("log_to_metrics skips a missing or non-numeric value_field, counted and logged once", async () => {
  const f = await l2m({ metric_mode: "gauge", value_field: "v" });
  f.run([{ v: "abc" }, {}, { v: { x: 1 } }, { v: "2" }]);
  f.run([{ v: "nope" }]);
  assertEquals(points(f.emitted()[0]!), [{ labels: {}, value: 2 }]);
  const bad = f.ctx.metrics.value("sluice_filter_log_to_metrics_bad_value_records_total", {
    name: "log_to_metrics.0",
  });
  assertEquals(bad, 4);
  const lines = f.ctx.logLines.filter((l) => l.includes("not a number"));
  assertEquals(lines.length, 1);
  assertMatch(lines[0]!, /3 record\(s\).*Sample: \{"v":"abc"\}/);
});

Deno.test("log_to_metrics with a flush interval emits on the timer only when changed, and on close of the inputs", async () => {
  const f = await l2m({ flush_interval_sec: 0, flush_interval_nsec: 20_000_000 });
  f.run([{ a: 1 }]);
  assertEquals(f.emitted().length, 0);
  const deadline = Date.now() + 5000;
  let got: MetricChunk[] = [];
  while (got.length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    got = f.emitted();
  }
  assertEquals(points(got[0]!)[0]!.value, 1);
  f.run([{ a: 1 }]);
  f.emitters.close();
  const last = f.emitted();
  assertEquals(points(last.at(-1)!)[0]!.value, 2);
  await f.inst.close!();
});

Deno.test("log_to_metrics config errors name the key: bad regex, bad bucket, missing value_field", async () => {
  assertThrows(
    () =>
      optionsFromYaml(logToMetricsOptions, { tag: "m", metric_description: "d", regex: "log [" }),
    SyntaxError,
    '"regex": Cannot parse "log ["',
  );
  assertThrows(
    () => optionsFromYaml(logToMetricsOptions, { tag: "m", metric_description: "d", bucket: "x" }),
    SyntaxError,
    '"bucket"',
  );
  assertThrows(
    () => optionsFromYaml(logToMetricsOptions, { tag: "m" }),
    SyntaxError,
    "metric_description",
  );
  let err: unknown;
  try {
    await l2m({ metric_mode: "histogram" });
  } catch (e) {
    err = e;
  }
  assertMatch(String((err as { key?: string }).key), /value_field/);
});
