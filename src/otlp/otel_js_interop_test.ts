/**
 * Interop with a real OTLP implementation: `@opentelemetry/otlp-transformer` (the encoder
 * the OpenTelemetry JS exporters use). Its protobuf and JSON requests must decode to the
 * spans, logs and metrics it was given, and it must read our export responses.
 * (It has no request decoder; the protobufjs test checks the other direction.)
 */
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import * as transformer from "npm:@opentelemetry/otlp-transformer@0.301.1";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { AggregationTemporality, DataPointType } from "npm:@opentelemetry/sdk-metrics@3.1.1";
import { EventTime } from "../event/event_time.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { bytes } from "./_test_util.ts";
import {
  decodeLogs,
  decodeMetrics,
  decodeTraces,
  encodeExportResponse,
  hexId,
  metricData,
} from "./mod.ts";

const {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} = transformer;

type Arg<F> = F extends (a: infer A) => unknown ? A : never;

const resource = { attributes: { "service.name": "shop", "host.cpus": 8 }, schemaUrl: "https://r" };
const scope = { name: "@shop/http", version: "1.2.0", schemaUrl: "https://s" };
const traceId = "0af7651916cd43dd8448eb211c80319c";

function sdkSpans(): unknown[] {
  const span = (spanId: string, name: string, extra: Record<string, unknown>) => ({
    name,
    kind: 1, // SpanKind.SERVER in the JS API, SPAN_KIND_SERVER (2) in OTLP
    spanContext: () => ({ traceId, spanId, traceFlags: 1 }),
    parentSpanContext: undefined,
    startTime: [1700000000, 123456789],
    endTime: [1700000001, 5],
    status: { code: 2, message: "boom" },
    attributes: {
      "http.method": "GET",
      "http.status_code": 500,
      ratio: 0.5,
      ok: false,
      tags: ["a", "b"],
    },
    links: [],
    events: [],
    duration: [1, 0],
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...extra,
  });
  return [
    span("b7ad6b7169203331", "GET /cart", {
      events: [{
        name: "exception",
        time: [1700000000, 500],
        attributes: { "exception.type": "E" },
      }],
      links: [{
        context: { traceId, spanId: "00f067aa0ba902b7", traceFlags: 0 },
        attributes: { l: 1 },
      }],
    }),
    span("00f067aa0ba902b7", "child", {
      parentSpanContext: { traceId, spanId: "b7ad6b7169203331", traceFlags: 1, isRemote: true },
      status: { code: 0 },
    }),
  ];
}

Deno.test("decodeTraces() reads what @opentelemetry/otlp-transformer writes, protobuf and JSON", () => {
  const input = sdkSpans() as Arg<typeof ProtobufTraceSerializer.serializeRequest>;
  const proto = decodeTraces(ProtobufTraceSerializer.serializeRequest(input)!, "protobuf");
  const json = decodeTraces(JsonTraceSerializer.serializeRequest(input)!, "json");
  assertEquals(json, proto);
  assertEquals(proto.length, 2);
  const [a, b] = proto;
  assert(a && b);
  assert(a.resource === b.resource && a.scope === b.scope);
  assertEquals(a.resource, {
    attributes: { "service.name": "shop", "host.cpus": 8 },
    droppedAttributesCount: 0,
    schemaUrl: "https://r",
  });
  assertEquals([a.scope.name, a.scope.version, a.scope.schemaUrl], [
    "@shop/http",
    "1.2.0",
    "https://s",
  ]);
  assertEquals(hexId(a.traceId), traceId);
  assertEquals(hexId(a.spanId), "b7ad6b7169203331");
  assertEquals(a.parentSpanId.length, 0);
  assertEquals(a.name, "GET /cart");
  assertEquals(a.kind, 2);
  assertEquals(a.startTimeUnixNano, 1700000000123456789n);
  assertEquals(a.endTimeUnixNano, 1700000001000000005n);
  assertEquals(a.status, { code: 2, message: "boom" });
  assertEquals(a.flags & 0xff, 1);
  assertEquals(a.attributes, {
    "http.method": "GET",
    "http.status_code": 500,
    ratio: 0.5,
    ok: false,
    tags: ["a", "b"],
  });
  assertEquals(a.events, [{
    timeUnixNano: 1700000000000000500n,
    name: "exception",
    attributes: { "exception.type": "E" },
    droppedAttributesCount: 0,
  }]);
  assertEquals(a.links.length, 1);
  assertEquals([hexId(a.links[0]!.spanId), a.links[0]!.attributes], ["00f067aa0ba902b7", { l: 1 }]);
  assertEquals(hexId(b.parentSpanId), "b7ad6b7169203331");
  assertEquals(b.flags, 0x301); // sampled, has-is-remote, is-remote
  assertEquals(b.status, { code: 0, message: "" });
});

Deno.test("decodeLogs() reads what @opentelemetry/otlp-transformer writes, protobuf and JSON", () => {
  const log = (body: unknown, extra: Record<string, unknown> = {}) => ({
    hrTime: [1700000000, 1],
    hrTimeObserved: [1700000000, 2],
    severityNumber: 17,
    severityText: "ERROR",
    body,
    attributes: { "code.line": 12 },
    droppedAttributesCount: 0,
    resource,
    instrumentationScope: scope,
    ...extra,
  });
  const input = [
    log("plain text", { spanContext: { traceId, spanId: "b7ad6b7169203331", traceFlags: 1 } }),
    log({ event: "login", user: { id: 7 } }, { eventName: "user.login" }),
  ] as unknown as Arg<typeof ProtobufLogsSerializer.serializeRequest>;
  const proto = decodeLogs(ProtobufLogsSerializer.serializeRequest(input)!, "protobuf");
  const json = decodeLogs(JsonLogsSerializer.serializeRequest(input)!, "json");
  assertEquals(json, proto);
  assertEquals(proto.length, 4);
  assertEquals(proto[0]!.body, {
    resource: { attributes: { "service.name": "shop", "host.cpus": 8 }, schema_url: "https://r" },
    scope: { name: "@shop/http", version: "1.2.0", schema_url: "https://s" },
  });
  assertEquals(proto[1]!.time, new EventTime(1700000000, 1));
  assertEquals(proto[1]!.body, { log: "plain text" });
  assertEquals(proto[1]!.metadata, {
    otlp: {
      observed_timestamp: 1700000000000000002n,
      timestamp: 1700000000000000001n,
      severity_number: 17,
      severity_text: "ERROR",
      attributes: { "code.line": 12 },
      trace_id: bytes(traceId),
      span_id: bytes("b7ad6b7169203331"),
      trace_flags: 1,
    },
  });
  assertEquals(proto[2]!.body, { event: "login", user: { id: 7 } });
  assertEquals((proto[2]!.metadata.otlp as Record<string, unknown>).event_name, "user.login");
});

Deno.test("decodeMetrics() reads what @opentelemetry/otlp-transformer writes, protobuf and JSON", () => {
  const point = (value: unknown, attrs: Record<string, unknown> = {}) => ({
    startTime: [1700000000, 0],
    endTime: [1700000010, 0],
    attributes: attrs,
    value,
  });
  const input = {
    resource,
    scopeMetrics: [{
      scope,
      metrics: [
        {
          descriptor: { name: "requests", description: "served", unit: "1", valueType: 1 },
          dataPointType: DataPointType.SUM,
          isMonotonic: true,
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPoints: [point(12, { route: "/cart" })],
        },
        {
          descriptor: { name: "temp", description: "", unit: "C", valueType: 1 },
          dataPointType: DataPointType.GAUGE,
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPoints: [point(21.5)],
        },
        {
          descriptor: { name: "latency", description: "", unit: "ms", valueType: 1 },
          dataPointType: DataPointType.HISTOGRAM,
          aggregationTemporality: AggregationTemporality.DELTA,
          dataPoints: [point({
            count: 3,
            sum: 17.5,
            min: 1,
            max: 10,
            buckets: { boundaries: [5, 10], counts: [1, 1, 1] },
          })],
        },
        {
          descriptor: { name: "size", description: "", unit: "By", valueType: 1 },
          dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPoints: [point({
            count: 4,
            sum: 30,
            scale: 2,
            zeroCount: 1,
            positive: { offset: -1, bucketCounts: [1, 2] },
            negative: { offset: 0, bucketCounts: [] },
            min: 0,
            max: 20,
          })],
        },
      ],
    }],
  } as unknown as Arg<typeof ProtobufMetricsSerializer.serializeRequest>;
  const proto = decodeMetrics(ProtobufMetricsSerializer.serializeRequest(input)!, "protobuf");
  const json = decodeMetrics(JsonMetricsSerializer.serializeRequest(input)!, "json");
  assertEquals(proto.map((m) => [m.name, m.unit]), [["requests", "1"], ["temp", "C"], [
    "latency",
    "ms",
  ], ["size", "By"]]);
  const sum = metricData(proto[0]!);
  assert("sum" in sum);
  assertEquals(sum.sum.isMonotonic, true);
  assertEquals(sum.sum.aggregationTemporality, 2);
  assertEquals(sum.sum.dataPoints[0]!.attributes, { route: "/cart" });
  assertEquals(sum.sum.dataPoints[0]!.startTimeUnixNano, 1700000000000000000n);
  assertEquals(sum.sum.dataPoints[0]!.timeUnixNano, 1700000010000000000n);
  assertEquals(Number(sum.sum.dataPoints[0]!.value), 12);
  const gauge = metricData(proto[1]!);
  assert("gauge" in gauge);
  assertEquals(gauge.gauge.dataPoints[0]!.value, 21.5);
  const h = metricData(proto[2]!);
  assert("histogram" in h);
  assertEquals(h.histogram.aggregationTemporality, 1);
  const hp = h.histogram.dataPoints[0]!;
  assertEquals([hp.count, hp.sum, hp.min, hp.max], [3n, 17.5, 1, 10]);
  assertEquals([hp.bucketCounts, hp.explicitBounds], [[1n, 1n, 1n], [5, 10]]);
  const e = metricData(proto[3]!);
  assert("exponentialHistogram" in e);
  const ep = e.exponentialHistogram.dataPoints[0]!;
  assertEquals([ep.count, ep.sum, ep.scale, ep.zeroCount], [4n, 30, 2, 1n]);
  assertEquals(ep.positive, { offset: -1, bucketCounts: [1n, 2n] });
  // The JSON serializer writes int values as JSON numbers; they decode the same.
  assertEquals(json.map((m) => m.data), proto.map((m) => m.data));
});

Deno.test("@opentelemetry/otlp-transformer reads our export responses", () => {
  const partial = { partialSuccess: { rejected: 3, errorMessage: "3 spans had no trace ID" } };
  const traces = ProtobufTraceSerializer.deserializeResponse(
    encodeExportResponse(partial, { signal: "traces", format: "protobuf" }),
  );
  assertEquals(traces, {
    partialSuccess: { rejectedSpans: 3, errorMessage: "3 spans had no trace ID" },
  });
  const logs = ProtobufLogsSerializer.deserializeResponse(
    encodeExportResponse(
      { partialSuccess: { rejected: 1, errorMessage: "" } },
      { signal: "logs", format: "protobuf" },
    ),
  );
  assertEquals(logs, { partialSuccess: { rejectedLogRecords: 1 } });
  const metrics = JsonMetricsSerializer.deserializeResponse(
    encodeExportResponse(
      { partialSuccess: { rejected: 2, errorMessage: "x" } },
      { signal: "metrics", format: "json" },
    ),
  );
  assertEquals(metrics, { partialSuccess: { rejectedDataPoints: "2", errorMessage: "x" } });
  assertEquals(
    ProtobufTraceSerializer.deserializeResponse(
      encodeExportResponse({ partialSuccess: null }, { signal: "traces", format: "protobuf" }),
    ),
    {},
  );
});
