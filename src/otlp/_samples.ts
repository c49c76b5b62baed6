/** Sample records using every field, shared by the OTLP codec tests. */
import type { MetricRecord } from "../event/metric.ts";
import { emptyResource, emptyScope, type Span } from "../event/span.ts";
import { bytes } from "./_test_util.ts";
import { blankSpan } from "./model.ts";

/** Two resources, three scopes, spans using every field. */
export function sampleSpans(): Span[] {
  const r1 = {
    attributes: { "service.name": "cart", "host.cpu": 4 },
    droppedAttributesCount: 1,
    schemaUrl: "https://opentelemetry.io/schemas/1.21.0",
  };
  const r2 = emptyResource();
  const s1 = {
    name: "lib",
    version: "1.2.3",
    attributes: { "scope.attr": true },
    droppedAttributesCount: 2,
    schemaUrl: "https://s",
  };
  const s2 = emptyScope();
  const s3 = { ...emptyScope(), name: "other" };
  const a = blankSpan(r1, s1);
  Object.assign(a, {
    traceId: bytes("0102030405060708090a0b0c0d0e0f10"),
    spanId: bytes("1112131415161718"),
    parentSpanId: bytes("2122232425262728"),
    traceState: "k=v",
    flags: 0x101,
    name: "GET /cart",
    kind: 2,
    startTimeUnixNano: 1700000000123456789n,
    endTimeUnixNano: 18446744073709551615n,
    attributes: {
      str: "v",
      int: -42,
      big: 9007199254740993n,
      dbl: 0.5,
      nan: NaN,
      bool: false,
      bytes: new Uint8Array([0, 255]),
      arr: ["a", 1, null, [true]],
      map: { nested: { deep: "x" }, empty: {} },
      nil: null,
      "": "empty key",
    },
    droppedAttributesCount: 3,
    events: [{
      timeUnixNano: 1700000000200000000n,
      name: "exception",
      attributes: { "exception.type": "E" },
      droppedAttributesCount: 1,
    }],
    droppedEventsCount: 4,
    links: [{
      traceId: bytes("0102030405060708090a0b0c0d0e0f11"),
      spanId: bytes("3132333435363738"),
      traceState: "a=b",
      attributes: { l: 1 },
      droppedAttributesCount: 5,
      flags: 1,
    }],
    droppedLinksCount: 6,
    status: { code: 2, message: "failed" },
  });
  const b = blankSpan(r1, s2);
  b.name = "child";
  b.traceId = a.traceId;
  b.spanId = bytes("4142434445464748");
  const c = blankSpan(r2, s3);
  c.name = "third";
  c.status = { code: 1, message: "" };
  const d = blankSpan(r1, s1);
  d.name = "sibling";
  return [a, b, c, d];
}

/** One metric of each kind, every field set, exemplars with IDs. */
export function sampleMetrics(): MetricRecord[] {
  const resource = {
    attributes: { "service.name": "m" },
    droppedAttributesCount: 0,
    schemaUrl: "https://r",
  };
  const scope = { ...emptyScope(), name: "meter", version: "2" };
  const other = emptyScope();
  const base = { startTimeUnixNano: 1n, timeUnixNano: 18446744073709551615n, flags: 1 };
  const exemplar = {
    filteredAttributes: { f: "x" },
    timeUnixNano: 3n,
    value: -9223372036854775808n,
    spanId: bytes("0102030405060708"),
    traceId: bytes("0102030405060708090a0b0c0d0e0f10"),
  };
  const m = (name: string, data: Record<string, unknown>, s = scope): MetricRecord => ({
    resource,
    scope: s,
    name,
    description: `${name} desc`,
    unit: "ms",
    metadata: name === "g" ? { "prometheus.type": "gauge" } : {},
    data,
  });
  return [
    m("g", {
      gauge: {
        dataPoints: [
          { ...base, attributes: { a: 1 }, value: 1.5, exemplars: [exemplar] },
          { ...base, attributes: {}, value: 42n, exemplars: [] },
          { ...base, attributes: {}, value: null, exemplars: [] },
        ],
      },
    }),
    m("s", {
      sum: {
        aggregationTemporality: 2,
        isMonotonic: true,
        dataPoints: [{ ...base, attributes: {}, value: 3n, exemplars: [] }],
      },
    }),
    m("h", {
      histogram: {
        aggregationTemporality: 1,
        dataPoints: [{
          ...base,
          attributes: { route: "/x" },
          count: 6n,
          sum: 18.5,
          bucketCounts: [1n, 2n, 3n],
          explicitBounds: [1, 5.5],
          exemplars: [{ ...exemplar, value: 2.5 }],
          min: -1,
          max: Infinity,
        }, {
          ...base,
          attributes: {},
          count: 0n,
          sum: null,
          bucketCounts: [],
          explicitBounds: [],
          exemplars: [],
          min: null,
          max: null,
        }],
      },
    }, other),
    m("e", {
      exponentialHistogram: {
        aggregationTemporality: 2,
        dataPoints: [{
          ...base,
          attributes: {},
          count: 10n,
          sum: 50.25,
          scale: -3,
          zeroCount: 1n,
          positive: { offset: -2, bucketCounts: [4n, 3n] },
          negative: { offset: 5, bucketCounts: [1n, 18446744073709551615n] },
          exemplars: [],
          min: 0.5,
          max: 9,
          zeroThreshold: 0.01,
        }],
      },
    }),
    m("q", {
      summary: {
        dataPoints: [{
          ...base,
          attributes: { q: true },
          count: 4n,
          sum: 1000.5,
          quantileValues: [{ quantile: 0, value: 1 }, { quantile: 0.5, value: 100 }],
        }],
      },
    }),
    { ...m("empty", {}), resource: emptyResource(), scope: other },
  ];
}
