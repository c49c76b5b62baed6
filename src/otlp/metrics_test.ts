import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { sampleMetrics } from "./_samples.ts";
import { jsonBytes, testdata } from "./_test_util.ts";
import {
  decodeMetrics,
  encodeMetrics,
  metricData,
  metricKind,
  OtlpDecodeError,
  validateMetrics,
} from "./mod.ts";

Deno.test("decodeMetrics() reads the opentelemetry-proto example metrics field by field", () => {
  const metrics = decodeMetrics(testdata("otelproto-examples-metrics.json"), "json");
  assertEquals(metrics.map((m) => [m.name, m.unit, m.description, metricKind(m)]), [
    ["my.counter", "1", "I am a Counter", "sum"],
    ["my.gauge", "1", "I am a Gauge", "gauge"],
    ["my.histogram", "1", "I am a Histogram", "histogram"],
    ["my.exponential.histogram", "1", "I am an Exponential Histogram", "exponentialHistogram"],
  ]);
  assert(
    metrics.every((m) => m.resource === metrics[0]!.resource && m.scope === metrics[0]!.scope),
  );
  assertEquals(metrics[0]!.resource.attributes, { "service.name": "my.service" });
  assertEquals(metrics[0]!.scope.name, "my.library");
  assertEquals(metrics[0]!.data, {
    sum: {
      aggregationTemporality: 1,
      isMonotonic: true,
      dataPoints: [{
        attributes: { "my.counter.attr": "some value" },
        startTimeUnixNano: 1544712660300000000n,
        timeUnixNano: 1544712660300000000n,
        flags: 0,
        value: 5,
        exemplars: [],
      }],
    },
  });
  assertEquals(metrics[2]!.data, {
    histogram: {
      aggregationTemporality: 1,
      dataPoints: [{
        attributes: { "my.histogram.attr": "some value" },
        startTimeUnixNano: 1544712660300000000n,
        timeUnixNano: 1544712660300000000n,
        flags: 0,
        count: 2n,
        sum: 2,
        bucketCounts: [1n, 1n],
        explicitBounds: [1],
        exemplars: [],
        min: 0,
        max: 2,
      }],
    },
  });
  assertEquals(metrics[3]!.data, {
    exponentialHistogram: {
      aggregationTemporality: 1,
      dataPoints: [{
        attributes: { "my.exponential.histogram.attr": "some value" },
        startTimeUnixNano: 1544712660300000000n,
        timeUnixNano: 1544712660300000000n,
        flags: 0,
        count: 3n,
        sum: 10,
        scale: 0,
        zeroCount: 1n,
        positive: { offset: 1, bucketCounts: [0n, 2n] },
        negative: { offset: 0, bucketCounts: [] },
        exemplars: [],
        min: 0,
        max: 5,
        zeroThreshold: 0,
      }],
    },
  });
});

Deno.test("decodeMetrics() reads snake_case keys, int values as bigint and numeric strings", () => {
  const metrics = decodeMetrics(
    testdata("fb-it-in_opentelemetry__test_metrics_002.in.json"),
    "json",
  );
  assertEquals(metrics.map((m) => m.name), ["request.duration", "cpu.usage"]);
  const h = metricData(metrics[0]!);
  assert("histogram" in h);
  assertEquals(h.histogram.dataPoints[0]!.bucketCounts, [1n, 2n]);
  assertEquals(h.histogram.dataPoints[0]!.explicitBounds, [100]);
  assertEquals(h.histogram.dataPoints[0]!.sum, 245);
  const body = jsonBytes({
    resourceMetrics: [{
      scopeMetrics: [{
        metrics: [{
          name: "n",
          sum: {
            aggregationTemporality: "AGGREGATION_TEMPORALITY_CUMULATIVE",
            dataPoints: [{ asInt: "7" }, { asDouble: "38.25" }, { asDouble: "NaN" }, {}],
          },
        }],
      }],
    }],
  });
  const d = metricData(decodeMetrics(body, "json")[0]!);
  assert("sum" in d);
  assertEquals(d.sum.aggregationTemporality, 2);
  assertEquals(d.sum.dataPoints.map((p) => p.value), [7n, 38.25, NaN, null]);
  const bad = jsonBytes({
    resourceMetrics: [{
      scopeMetrics: [{ metrics: [{ gauge: { dataPoints: [{ asDouble: "12.0oops" }] } }] }],
    }],
  });
  assertThrows(
    () => decodeMetrics(bad, "json"),
    OtlpDecodeError,
    'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].asDouble: expected a number, got "12.0oops"',
  );
});

Deno.test("encodeMetrics() then decodeMetrics() keeps all five kinds losslessly", () => {
  const metrics = sampleMetrics();
  for (const format of ["protobuf", "json"] as const) {
    const back = decodeMetrics(encodeMetrics(metrics, format), format);
    // Regrouped by resource then scope: g, s, e, q (scope), h (other), empty (own resource).
    const order = ["g", "s", "e", "q", "h", "empty"];
    assertEquals(back, order.map((n) => metrics.find((m) => m.name === n)), format);
    assert(back[0]!.scope === back[3]!.scope && back[4]!.scope !== back[0]!.scope);
  }
});

Deno.test("JSON and protobuf encodings of the example metrics decode to equal records", () => {
  const fromJson = decodeMetrics(testdata("otelproto-examples-metrics.json"), "json");
  const fromProto = decodeMetrics(encodeMetrics(fromJson, "protobuf"), "protobuf");
  assertEquals(fromProto, fromJson);
  assertEquals(decodeMetrics(encodeMetrics(fromProto, "json"), "json"), fromJson);
});

Deno.test("validateMetrics() names metrics without a name or data", () => {
  const body = jsonBytes({
    resourceMetrics: [{
      scopeMetrics: [{ metrics: [{ gauge: { dataPoints: [] } }, { name: "x" }] }],
    }],
  });
  assertEquals(validateMetrics(decodeMetrics(body, "json")), [
    "resourceMetrics[0].scopeMetrics[0].metrics[0].name: missing metric name",
    "resourceMetrics[0].scopeMetrics[0].metrics[1]: missing data, expected one of gauge, sum, " +
    "histogram, exponentialHistogram or summary",
  ]);
  assertEquals(validateMetrics(sampleMetrics().slice(0, 5)), []);
});
