/**
 * The metrics model through every conversion sluice does: OTLP protobuf and JSON, filesystem
 * storage (chunk file with checksum), the cmetrics forward payload, the Prometheus text
 * format and remote write. What a format cannot express is stated in each test.
 */
import type { Chunk, MetricChunk } from "../event/chunk.ts";
import { Ack } from "../event/ack.ts";
import { decodeChunkFile, encodeChunkFile } from "../engine/storage/chunk_file.ts";
import { decodeChunkRecords, encodeChunkRecords } from "../engine/storage/record_codec.ts";
import { decodeMetrics, encodeMetrics } from "../otlp/mod.ts";
import type { HistogramDataPoint, NumberDataPoint } from "../otlp/metric_data.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { everyKind } from "./_testing.ts";
import { dataPoints, prometheusType } from "./model.ts";
import { parsePrometheusText } from "./prometheus/parse.ts";
import { decodeWriteRequest, encodeWriteRequest } from "./prometheus/remote_write.ts";
import { writePrometheusText } from "./prometheus/write.ts";

/** Comparable text of records: bigints and NaN spelled out, byte arrays as lists. */
function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (typeof x === "bigint") return `${x}n`;
    if (typeof x === "number" && !Number.isFinite(x)) return String(x);
    if (x instanceof Uint8Array) return [...x];
    if (x !== null && typeof x === "object" && !Array.isArray(x)) {
      return Object.fromEntries(Object.entries(x).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
    }
    return x;
  });
}

Deno.test("metrics survive OTLP protobuf and JSON unchanged, every kind and field", () => {
  const metrics = everyKind();
  for (const format of ["protobuf", "json"] as const) {
    const back = decodeMetrics(encodeMetrics(metrics, format), format);
    assertEquals(show(back), show(metrics), format);
    assertEquals(back.map(prometheusType), metrics.map(prometheusType), format);
  }
});

Deno.test("a metrics chunk survives filesystem storage (chunk file with checksum) unchanged", () => {
  const metrics = everyKind();
  const chunk: MetricChunk = {
    signal: "metrics",
    tag: "m",
    records: metrics,
    bytes: 100,
    ack: new Ack(),
    input: "opentelemetry.0",
  };
  const header = {
    signal: "metrics" as const,
    tag: "m",
    input: chunk.input,
    routes: ["prometheus_exporter.0"],
    records: metrics.length,
    bytes: chunk.bytes,
    created: 1,
  };
  const file = encodeChunkFile(header, encodeChunkRecords(chunk as Chunk), { checksum: true });
  const { header: h, payload } = decodeChunkFile(file);
  assertEquals(h.signal, "metrics");
  assertEquals(show(decodeChunkRecords("metrics", payload)), show(metrics));
});

Deno.test("the Prometheus text format keeps names, help, types, labels, values, times (ms)", () => {
  const metrics = everyKind();
  const text = writePrometheusText(metrics, { timestamps: true });
  const back = parsePrometheusText(text, { nowNs: 0n });
  assertEquals(back.problems, []);
  const byName = new Map(back.metrics.map((m) => [m.name, m]));
  for (const m of metrics) {
    const b = byName.get(m.name)!;
    assert(b !== undefined, m.name);
    assertEquals(b.description, m.description, m.name);
    assertEquals(prometheusType(b), prometheusType(m), m.name);
    const ours = dataPoints(m), theirs = dataPoints(b);
    assertEquals(theirs.length, ours.length, m.name);
    for (let i = 0; i < ours.length; i++) {
      assertEquals(theirs[i]!.attributes, ours[i]!.attributes, m.name);
      // 0.0.4 timestamps are ms; the start time has no place in the format.
      assertEquals(theirs[i]!.timeUnixNano, (ours[i]!.timeUnixNano / 1_000_000n) * 1_000_000n);
    }
  }
  const temp = dataPoints(byName.get("temperature_celsius")!) as NumberDataPoint[];
  assertEquals(temp.map((p) => String(p.value)), ["21.5", "NaN", "Infinity"]);
  // Ints become doubles: the text format has one number type.
  assertEquals((dataPoints(byName.get("http_requests_total")!)[0] as NumberDataPoint).value, 1027);
  // An exponential histogram comes back as explicit buckets with the same counts and sum.
  const exp = dataPoints(byName.get("payload_bytes")!)[0] as HistogramDataPoint;
  assertEquals(exp.count, 6n);
  assertEquals(exp.sum, 30);
  assertEquals(exp.explicitBounds, [0, 2.8284271247461903, 4]);
  assertEquals(exp.bucketCounts, [1n, 2n, 3n, 0n]);
  const h = dataPoints(byName.get("latency_seconds")!)[0] as HistogramDataPoint;
  assertEquals([h.bucketCounts, h.explicitBounds, h.sum], [[2n, 3n, 4n, 1n], [0.1, 0.5, 1], 4.5]);
});

Deno.test("remote write carries every sample with sorted labels, ms times and metadata", () => {
  const metrics = everyKind();
  const { body, series } = encodeWriteRequest(metrics, { staticLabels: [["job", "sluice"]] });
  const back = decodeWriteRequest(body);
  assertEquals(back.series.length, series);
  // 2 counter + 1 gauge + 3 gauge + 1 untyped + (4 buckets + sum + count) + (4 + 2) + (2 + 2)
  assertEquals(series, 2 + 1 + 3 + 1 + 6 + 6 + 4);
  for (const s of back.series) {
    const names = Object.keys(s.labels);
    assertEquals(names, [...names].sort(), "labels sorted by name");
    assertEquals(s.labels.job, "sluice");
    assertEquals(s.samples[0]![1], 1_700_000_000_123);
  }
  const find = (name: string, extra: Record<string, string> = {}) =>
    back.series.find((s) =>
      s.labels.__name__ === name && Object.entries(extra).every(([k, v]) => s.labels[k] === v)
    )?.samples[0]?.[0];
  assertEquals(find("http_requests_total", { code: "500" }), 3);
  assertEquals(find("latency_seconds_bucket", { le: "0.5" }), 5);
  assertEquals(find("latency_seconds_bucket", { le: "+Inf" }), 10);
  assertEquals(find("rpc_seconds", { quantile: "0.99" }), 76656);
  assert(Number.isNaN(find("temperature_celsius", { room: "void" })));
  assertEquals(
    back.metadata.map((m) => [m.name, m.type, m.unit]),
    [
      ["http_requests_total", 1, "1"],
      ["queue_depth", 2, ""],
      ["temperature_celsius", 2, "Cel"],
      ["legacy_value", 0, ""],
      ["latency_seconds", 3, "s"],
      ["payload_bytes", 3, "By"],
      ["rpc_seconds", 5, ""],
    ],
  );
});

Deno.test("remote write leaves out empty labels and keeps a series' own label over add_label", () => {
  const m = everyKind()[1]!; // queue_depth{q="a"}
  const point = dataPoints(m)[0]!;
  point.attributes = { q: "", job: "mine" };
  const { body } = encodeWriteRequest([m], { staticLabels: [["job", "sluice"]] });
  assertEquals(decodeWriteRequest(body).series[0]!.labels, {
    __name__: "queue_depth",
    job: "mine",
  });
});
