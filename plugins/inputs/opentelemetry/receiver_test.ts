import type { LogChunk, MetricChunk, TraceChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { GROUP_START } from "../../../src/event/log_record.ts";
import { decodeExportResponse, encodeLogs, encodeTraces, hexId } from "../../../src/otlp/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../../../src/testing/assert.ts";
import { until } from "../../../src/testing/until.ts";
import { json, receiverHarness } from "./_testing.ts";
import { post } from "../../../src/testing/request.ts";
import { hexSpan } from "../../../src/testing/spans.ts";

const TRACE = "5b8efff798038103d269b633813fc60c";
const JSON_HEADERS = { "content-type": "application/json" };

Deno.test("handle() answers 201 with an empty protobuf ExportTraceServiceResponse", async () => {
  const h = receiverHarness();
  const body = encodeTraces([hexSpan(TRACE, "eee19b7ec3c1b174", { name: "checkout" })], "protobuf");
  const res = await h.receiver.handle(post("/v1/traces", body));
  assertEquals(res.status, 201);
  assertEquals(res.headers.get("content-type"), "application/x-protobuf");
  const answer = new Uint8Array(await res.arrayBuffer());
  assertEquals(decodeExportResponse(answer, { signal: "traces", format: "protobuf" }), {
    partialSuccess: null,
  });
  await h.stop();
  assertEquals(h.chunks.length, 1);
  const chunk = h.chunks[0] as TraceChunk;
  assertEquals(chunk.signal, "traces");
  assertEquals(chunk.tag, "v1_traces");
  assertEquals(chunk.bytes, body.byteLength * 4, "protobuf size times the memory factor");
  assertEquals(hexId(chunk.records[0]!.traceId), TRACE);
  assertEquals(chunk.records[0]!.name, "checkout");
});

Deno.test("handle() answers only once the engine has taken the chunk", async () => {
  const h = receiverHarness({}, { pull: false });
  let answered = false;
  const pending = h.receiver.handle(
    post("/v1/traces", encodeTraces([hexSpan(TRACE, "0102030405060708")], "protobuf")),
  )
    .then((r) => {
      answered = true;
      return r;
    });
  await until(() => h.receiver.waiting === 1, "the request to wait for the engine");
  await new Promise((r) => setTimeout(r, 0));
  assertEquals(answered, false, "no answer while the chunk waits for the engine");
  const it = h.receiver.chunks();
  const first = await it.next();
  assert(!first.done);
  const res = await pending;
  assertEquals(res.status, 201);
  h.receiver.close();
  assert((await it.next()).done);
});

Deno.test("handle() accepts OTLP/JSON with integer status codes and string enums", async () => {
  const h = receiverHarness();
  const body = json({
    resourceSpans: [{
      scopeSpans: [{
        spans: [
          { traceId: TRACE, spanId: "0102030405060708", name: "a", kind: 2, status: { code: 2 } },
          {
            traceId: TRACE,
            spanId: "0102030405060709",
            name: "b",
            kind: "SPAN_KIND_CLIENT",
            status: { code: "STATUS_CODE_OK", message: "fine" },
          },
        ],
      }],
    }],
  });
  const res = await h.receiver.handle(post("/v1/traces", body, JSON_HEADERS));
  assertEquals(res.status, 201);
  assertEquals(await res.text(), "{}");
  await h.stop();
  const spans = (h.chunks[0] as TraceChunk).records;
  assertEquals(spans.map((s) => [s.kind, s.status.code, s.status.message]), [
    [2, 2, ""],
    [3, 1, "fine"],
  ]);
});

Deno.test("handle() gives spans without scope, attributes or status defined empty values", async () => {
  const h = receiverHarness();
  const body = json({
    resourceSpans: [{
      resource: null,
      scopeSpans: [{
        scope: null,
        spans: [{ traceId: TRACE, spanId: "0102030405060708", attributes: null }],
      }],
    }],
  });
  const res = await h.receiver.handle(post("/v1/traces", body, JSON_HEADERS));
  assertEquals(res.status, 201);
  await h.stop();
  const s = (h.chunks[0] as TraceChunk).records[0]!;
  assertEquals(s.scope.name, "");
  assertEquals(s.resource.attributes, {});
  assertEquals(s.attributes, {});
  assertEquals(s.status, { code: 0, message: "" });
  assertEquals(s.parentSpanId.length, 0);
});

Deno.test("handle() rejects wrong-length and empty span IDs with 400 naming the field", async () => {
  const h = receiverHarness();
  const cases: [Record<string, unknown>, string][] = [
    [{ traceId: "0102", spanId: "0102030405060708" }, "spans[0].traceId"],
    [{ traceId: TRACE, spanId: "01020304050607" }, "spans[0].spanId"],
    [{ traceId: "", spanId: "0102030405060708" }, "spans[0].traceId"],
    [{ traceId: TRACE, spanId: "" }, "spans[0].spanId"],
    [{ traceId: TRACE, spanId: "0102030405060708", parentSpanId: "01" }, "parentSpanId"],
  ];
  for (const [s, field] of cases) {
    const body = json({ resourceSpans: [{ scopeSpans: [{ spans: [s] }] }] });
    const res = await h.receiver.handle(post("/v1/traces", body, JSON_HEADERS));
    assertEquals(res.status, 400, JSON.stringify(s));
    const status = await res.json();
    assertEquals(status.code, 3);
    assertStringIncludes(status.message, field);
  }
  await h.stop();
  assertEquals(h.chunks.length, 0);
});

Deno.test("handle() delivers a log record whose scope is null, in Fluent Bit's group layout", async () => {
  const h = receiverHarness();
  const body = json({
    resourceLogs: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: "api" } }] },
      scopeLogs: [{
        scope: null,
        logRecords: [{
          timeUnixNano: "1700000000000000001",
          severityNumber: 9,
          body: { stringValue: "hello" },
        }],
      }],
    }],
  });
  const res = await h.receiver.handle(post("/v1/logs", body, JSON_HEADERS));
  assertEquals(res.status, 201);
  await h.stop();
  const chunk = h.chunks[0] as LogChunk;
  assertEquals(chunk.tag, "v1_logs");
  assertEquals(chunk.records.length, 3);
  assertEquals(chunk.records[0]!.time, GROUP_START);
  assertEquals(chunk.records[0]!.body.resource, { attributes: { "service.name": "api" } });
  assertEquals(chunk.records[1]!.body, { log: "hello" });
  assertEquals(chunk.records[1]!.metadata, {
    otlp: { timestamp: 1700000000000000001n, severity_number: 9 },
  });
});

Deno.test("handle() honours logs_body_key and logs_metadata_key", async () => {
  const h = receiverHarness({ logs_body_key: "message", logs_metadata_key: "meta" });
  const body = encodeLogs([{
    time: GROUP_START,
    metadata: { schema: "otlp", resource_id: 0, scope_id: 0 },
    body: { resource: {}, scope: { name: "s" } },
  }, {
    time: new EventTime(1, 0),
    metadata: { otlp: { severity_text: "WARN" } },
    body: { log: "text" },
  }], "protobuf");
  assertEquals((await h.receiver.handle(post("/v1/logs", body))).status, 201);
  await h.stop();
  const rec = (h.chunks[0] as LogChunk).records[1];
  assertEquals(rec!.body, { message: "text" });
  assertEquals((rec!.metadata.meta as Record<string, unknown>).severity_text, "WARN");
});

Deno.test("handle() accepts metrics and tags them v1_metrics; tag_from_uri false uses the tag", async () => {
  const body = json({
    resourceMetrics: [{
      scopeMetrics: [{
        metrics: [{ name: "up", gauge: { dataPoints: [{ asInt: "1", timeUnixNano: "5" }] } }],
      }],
    }],
  });
  const a = receiverHarness();
  assertEquals((await a.receiver.handle(post("/v1/metrics", body, JSON_HEADERS))).status, 201);
  await a.stop();
  assertEquals(a.chunks[0]!.tag, "v1_metrics");
  assertEquals((a.chunks[0] as MetricChunk).records[0]!.name, "up");
  const b = receiverHarness({ tag_from_uri: false }, { ctx: { tag: "otel" } });
  assertEquals((await b.receiver.handle(post("/v1/metrics", body, JSON_HEADERS))).status, 201);
  await b.stop();
  assertEquals(b.chunks[0]!.tag, "otel");
});

Deno.test("handle() rejects a metric without data with 400", async () => {
  const h = receiverHarness();
  const body = json({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: "x" }] }] }] });
  const res = await h.receiver.handle(post("/v1/metrics", body, JSON_HEADERS));
  assertEquals(res.status, 400);
  assertStringIncludes((await res.json()).message, "missing data");
  await h.stop();
});

Deno.test("handle() with raw_traces forwards the payload as one log record", async () => {
  const h = receiverHarness({ raw_traces: true });
  const body = encodeTraces([hexSpan(TRACE, "0102030405060708")], "json");
  assertEquals((await h.receiver.handle(post("/v1/traces", body, JSON_HEADERS))).status, 201);
  await h.stop();
  const chunk = h.chunks[0] as LogChunk;
  assertEquals(chunk.signal, "logs");
  assertEquals(chunk.tag, "v1_traces");
  assertEquals(chunk.records[0]!.body.trace, new TextDecoder().decode(body));
});

Deno.test("handle() with tag_key splits log records by tag, keeping their groups", async () => {
  const h = receiverHarness({ tag_key: "$app" });
  const kv = (app: string) => ({
    kvlistValue: { values: [{ key: "app", value: { stringValue: app } }] },
  });
  const body = json({
    resourceLogs: [{
      scopeLogs: [{
        scope: { name: "s" },
        logRecords: [{ body: kv("web") }, { body: kv("db") }, { body: { stringValue: "x" } }],
      }],
    }],
  });
  assertEquals((await h.receiver.handle(post("/v1/logs", body, JSON_HEADERS))).status, 201);
  await h.stop();
  assertEquals(h.chunks.map((c) => c.tag), ["web", "db", "v1_logs"]);
  for (const c of h.chunks as LogChunk[]) {
    assertEquals(c.records.length, 3, "group start, record, group end");
    assertEquals(c.records[0]!.body.scope, { name: "s" });
  }
});

Deno.test("handle() answers an empty request with success and no chunk", async () => {
  const h = receiverHarness();
  const res = await h.receiver.handle(post("/v1/traces", "{}", JSON_HEADERS));
  assertEquals(res.status, 201);
  await res.body?.cancel();
  await h.stop();
  assertEquals(h.chunks.length, 0);
});
