import type { MetricRecord } from "../event/metric.ts";
import { emptyResource, emptyScope } from "../event/span.ts";
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { captured, LIMITS } from "./_testing.ts";
import { decodeCmetrics } from "./cmetrics.ts";
import { encodeCmetrics } from "./cmetrics_encode.ts";
import { decodeForwardFrame } from "./decode.ts";
import { ForwardError } from "./errors.ts";

type Points = { dataPoints: Record<string, unknown>[] };

function fluentBitMetrics(): MetricRecord[] {
  return decodeForwardFrame(captured("metrics"), LIMITS).metrics;
}

Deno.test("decodeCmetrics() maps Fluent Bit's event_type metrics to OTLP kinds", () => {
  const byName = new Map(fluentBitMetrics().map((m) => [m.name, m]));
  const counter = byName.get("kubernetes_network_load_counter")!;
  const sum = counter.data.sum as Points & { isMonotonic: boolean; aggregationTemporality: number };
  assertEquals(sum.isMonotonic, true);
  assertEquals(sum.aggregationTemporality, 2);
  assert(sum.dataPoints.some((p) => (p.attributes as Record<string, unknown>).app === "cmetrics"));
  assert("gauge" in byName.get("kubernetes_network_load_gauge")!.data);
  const summary = (byName.get("k8s_disk_load_summary")!.data.summary as Points).dataPoints[0]!;
  // Quantile values travel as float64 bits in uint64s: 1.1 must come back exactly.
  assertEquals((summary.quantileValues as { value: number }[]).slice(0, 2).map((q) => q.value), [
    1.1,
    2.2,
  ]);
  const hist = (byName.get("k8s_network_load_histogram")!.data.histogram as Points).dataPoints[0]!;
  assertEquals(hist.explicitBounds, [0.05, 5, 10]);
  assertEquals((hist.bucketCounts as bigint[]).length, 4);
});

Deno.test("encodeCmetrics() writes whole values as float64 and skips what cmetrics cannot hold", () => {
  const base = { resource: emptyResource(), scope: emptyScope(), description: "", unit: "" };
  const point = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 5n,
    flags: 0,
    exemplars: [],
  };
  const metrics: MetricRecord[] = [
    { ...base, name: "g", metadata: {}, data: { gauge: { dataPoints: [{ ...point, value: 2 }] } } },
    {
      ...base,
      name: "e",
      metadata: {},
      data: { exponentialHistogram: { dataPoints: [], aggregationTemporality: 2 } },
    },
  ];
  const { bytes, skipped } = encodeCmetrics(metrics);
  assertEquals(skipped, 1);
  // "value" followed by cb (float64) 2.0
  const at = bytes.findIndex((_, i) =>
    bytes[i] === 0xa5 && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x61
  );
  assertEquals(bytes[at + 6], 0xcb);
  const back = decodeCmetrics(bytes);
  assertEquals(back.map((m) => m.name), ["g"]);
  assertEquals((back[0]!.data.gauge as Points).dataPoints[0]!.value, 2);
});

Deno.test("decodeCmetrics() refuses a payload that is not a cmetrics context", () => {
  const e = assertThrows(
    () => decodeCmetrics(new Uint8Array([0x81, 0xa1, 0x61, 0x01])),
    ForwardError,
  );
  assertEquals((e as ForwardError).reason, "bad_payload");
});

Deno.test("an untyped cmetrics metric keeps its type through decode and encode", () => {
  const untyped: MetricRecord = {
    resource: emptyResource(),
    scope: emptyScope(),
    name: "legacy",
    description: "Old.",
    unit: "",
    metadata: { "prometheus.type": "unknown" },
    data: {
      gauge: {
        dataPoints: [{
          attributes: { a: "1" },
          startTimeUnixNano: 0n,
          timeUnixNano: 5n,
          flags: 0,
          value: 2.5,
          exemplars: [],
        }],
      },
    },
  };
  const back = decodeCmetrics(encodeCmetrics([untyped]).bytes);
  assertEquals(back[0]!.metadata, { "prometheus.type": "unknown" });
  assertEquals(back[0]!.name, "legacy");
});
