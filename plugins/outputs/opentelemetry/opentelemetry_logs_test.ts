import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import type { LogChunk, MetricChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import type { MetricRecord } from "../../../src/event/metric.ts";
import { emptyResource, emptyScope } from "../../../src/event/span.ts";
import { decodeLogs, decodeMetrics, hexId } from "../../../src/otlp/mod.ts";
import { assertEquals, assertRejects, assertStringIncludes } from "../../../src/testing/assert.ts";
import {
  chunkOf,
  groupEnd,
  groupStart,
  otlpLog,
  outputContext,
  outputOptions,
  testReceiver,
} from "./_testing.ts";
import { createOtlpOutput } from "./opentelemetry.ts";

const TRACE = "0af7651916cd43dd8448eb211c80319c";

function logBodies(body: Uint8Array): unknown[] {
  return decodeLogs(body, "protobuf").filter((r) => r.time.sec >= 0).map((r) => r.body.log);
}

Deno.test("write() resumes a multi-request chunk after a retryable failure: no loss, no duplicate", async () => {
  // batch_size 2 and 5 records: three requests; the second fails once with 503.
  const rx = testReceiver((n) =>
    n === 2
      ? new Response("busy", { status: 503, headers: { "retry-after": "1" } })
      : new Response(null, { status: 200 })
  );
  const out = createOtlpOutput(outputOptions({ port: rx.port, batch_size: 2 }), outputContext());
  const records: LogRecord[] = [groupStart("api", { resource: 0, scope: 0 })];
  for (let i = 0; i < 5; i++) records.push(otlpLog(i));
  records.push(groupEnd());
  const chunk = chunkOf<LogChunk>("logs", records);
  const e = await assertRejects(() => out.write(chunk), RetryableError);
  assertEquals((e as RetryableError).retryAfter, 1);
  assertStringIncludes(e.message, "request 2 of 3");
  await out.write(chunk); // the engine's retry
  await out.write(chunkOf<LogChunk>("logs", records)); // a new chunk starts from the first request
  await out.close?.();
  await rx.close();
  const bodies = rx.requests.map((r) => logBodies(r.body));
  assertEquals(bodies, [
    ["line 0", "line 1"],
    ["line 2", "line 3"],
    ["line 2", "line 3"],
    ["line 4"],
    ["line 0", "line 1"],
    ["line 2", "line 3"],
    ["line 4"],
  ]);
  for (const r of rx.requests) {
    const start = decodeLogs(r.body, "protobuf")[0]!;
    assertEquals(start.body.resource, { attributes: { "service.name": "api" } });
    assertEquals(start.body.scope, { name: "scope-0", version: "1.0" });
  }
});

Deno.test("write() sends the other requests when one is refused for good, then fails naming it", async () => {
  const rx = testReceiver((n) => new Response(null, { status: n === 2 ? 400 : 200 }));
  const out = createOtlpOutput(outputOptions({ port: rx.port, batch_size: 1 }), outputContext());
  const chunk = chunkOf<LogChunk>("logs", [otlpLog(0), otlpLog(1), otlpLog(2)]);
  const e = await assertRejects(() => out.write(chunk), PermanentError);
  assertEquals((e as PermanentError).status, 400);
  assertStringIncludes(e.message, "request 2 of 3");
  await out.close?.();
  await rx.close();
  assertEquals(rx.requests.map((r) => logBodies(r.body)), [["line 0"], ["line 1"], ["line 2"]]);
});

Deno.test("write() keeps each group's resource and scope in logs requests", async () => {
  const rx = testReceiver();
  const out = createOtlpOutput(outputOptions({ port: rx.port }), outputContext());
  const records = [
    groupStart("a", { resource: 0, scope: 0 }),
    otlpLog(1),
    groupEnd(),
    groupStart("a", { resource: 0, scope: 1 }),
    otlpLog(2),
    groupEnd(),
    groupStart("b", { resource: 1, scope: 0 }),
    otlpLog(3),
    groupEnd(),
  ];
  await out.write(chunkOf<LogChunk>("logs", records));
  await out.close?.();
  await rx.close();
  const got = decodeLogs(rx.requests[0]!.body, "protobuf");
  const groups = got.filter((r) => r.time.sec === -1).map((r) => [
    (r.body.resource as { attributes: Record<string, unknown> }).attributes["service.name"],
    (r.body.scope as { name: string }).name,
  ]);
  assertEquals(groups, [["a", "scope-0"], ["a", "scope-1"], ["b", "scope-0"]]);
  const logs = got.filter((r) => r.time.sec >= 0);
  assertEquals(logs.map((r) => r.body.log), ["line 1", "line 2", "line 3"]);
  assertEquals(logs[0]!.metadata.otlp, {
    timestamp: 1_700_000_001_000_000_000n,
    severity_number: 9,
    severity_text: "INFO",
  });
});

Deno.test("write() maps plain records with logs_body_key and the message keys", async () => {
  const rx = testReceiver();
  const out = createOtlpOutput(
    outputOptions({
      port: rx.port,
      logs_body_key: ["$message"],
      logs_body_key_attributes: true,
      logs_severity_text_message_key: "level",
      logs_trace_id_message_key: "trace",
    }),
    outputContext(),
  );
  const plain: LogRecord = {
    time: new EventTime(1_700_000_000, 5),
    metadata: { host: "web-1" },
    body: { message: "hello", level: "WARN", trace: TRACE, user: "ann" },
  };
  const bare: LogRecord = { time: new EventTime(1, 0), metadata: {}, body: { log: "raw" } };
  await out.write(chunkOf<LogChunk>("logs", [plain, bare]));
  await out.close?.();
  await rx.close();
  const got = decodeLogs(rx.requests[0]!.body, "protobuf").filter((r) => r.time.sec >= 0);
  assertEquals(got[0]!.body, { log: "hello" });
  const meta = got[0]!.metadata.otlp as Record<string, unknown>;
  assertEquals(meta.severity_text, "WARN");
  assertEquals(hexId(meta.trace_id as Uint8Array), TRACE);
  assertEquals(meta.timestamp, 1_700_000_000_000_000_005n);
  assertEquals(meta.attributes, { host: "web-1", level: "WARN", trace: TRACE, user: "ann" });
  assertEquals(got[1]!.body, { log: "raw" }, "a plain record keeps its whole map as the body");
  assertEquals(got[1]!.metadata.otlp, { timestamp: 1_000_000_000n });
});

Deno.test("write() adds add_label attributes to metric data points without changing the chunk", async () => {
  const rx = testReceiver();
  const out = createOtlpOutput(
    outputOptions({ port: rx.port, add_label: ["env prod"] }),
    outputContext(),
  );
  const metric: MetricRecord = {
    resource: emptyResource(),
    scope: emptyScope(),
    name: "up",
    description: "",
    unit: "",
    metadata: {},
    data: {
      gauge: {
        dataPoints: [{
          attributes: { a: "1" },
          startTimeUnixNano: 0n,
          timeUnixNano: 5n,
          flags: 0,
          value: 1n,
          exemplars: [],
        }],
      },
    },
  };
  await out.write(chunkOf<MetricChunk>("metrics", [metric]));
  await out.close?.();
  await rx.close();
  assertEquals(rx.requests[0]!.path, "/v1/metrics");
  const got = decodeMetrics(rx.requests[0]!.body, "protobuf")[0];
  const point = (got!.data.gauge as { dataPoints: { attributes: unknown }[] }).dataPoints[0];
  assertEquals(point!.attributes, { a: "1", env: "prod" });
  assertEquals(
    (metric.data.gauge as { dataPoints: { attributes: unknown }[] }).dataPoints[0]!.attributes,
    { a: "1" },
  );
});
