import { EventTime } from "../event/event_time.ts";
import { GROUP_END, GROUP_START, type LogRecord, logRecord } from "../event/log_record.ts";
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { bytes, jsonBytes, testdata } from "./_test_util.ts";
import { decodeLogs, encodeLogs, OtlpDecodeError, validateLogs } from "./mod.ts";

const T = EventTime.fromNanos;
const fixedNow = () => new EventTime(1_700_000_000, 5);

Deno.test("decodeLogs() lays the opentelemetry-proto example out as Fluent Bit does", () => {
  const records = decodeLogs(testdata("otelproto-examples-logs.json"), "json");
  assertEquals(records.length, 3);
  const [start, rec, end] = records;
  assert(rec !== undefined);
  assertEquals(start, {
    time: GROUP_START,
    metadata: { schema: "otlp", resource_id: 0, scope_id: 0 },
    body: {
      resource: { attributes: { "service.name": "my.service" } },
      scope: {
        name: "my.library",
        version: "1.0.0",
        attributes: { "my.scope.attribute": "some scope attribute" },
      },
    },
  });
  assertEquals(rec.time, T(1544712660300000000n));
  assertEquals(rec.metadata, {
    otlp: {
      observed_timestamp: 1544712660300000000n,
      timestamp: 1544712660300000000n,
      severity_number: 10,
      severity_text: "Information",
      attributes: {
        "string.attribute": "some string",
        "boolean.attribute": true,
        "int.attribute": 10,
        "double.attribute": 637.704,
        "array.attribute": ["many", "values"],
        "map.attribute": { "some.map.key": "some value" },
      },
      trace_id: bytes("5b8efff798038103d269b633813fc60c"),
      span_id: bytes("eee19b7ec3c1b174"),
    },
  });
  assertEquals(rec.body, { log: "Example log record" });
  assertEquals(end, { time: GROUP_END, metadata: {}, body: {} });
});

Deno.test("decodeLogs() keeps a kvlist body as the record body and the event name", () => {
  const [, rec] = decodeLogs(testdata("otelproto-examples-events.json"), "json");
  assert(rec !== undefined);
  assertEquals(rec.body, {
    type: 0,
    url: "https://www.guidgenerator.com/online-guid-generator.aspx",
    referrer: "https://wwww.google.com",
    title: "Free Online GUID Generator",
  });
  const otlp = rec.metadata.otlp as Record<string, unknown>;
  assertEquals(otlp.event_name, "browser.page_view");
  assertEquals(otlp.severity_number, 9);
});

Deno.test("decodeLogs() puts non-map bodies under logs_body_key and uses logs_metadata_key", () => {
  const body = jsonBytes({
    resourceLogs: [{
      scopeLogs: [{
        logRecords: [
          { body: { intValue: "7" } },
          { body: { kvlistValue: { values: [{ key: "a", value: { boolValue: true } }] } } },
          {},
        ],
      }],
    }],
  });
  const recs = decodeLogs(body, "json", { bodyKey: "message", metadataKey: "o", now: fixedNow });
  assertEquals(recs.slice(1, 4).map((r) => r.body), [
    { message: 7 },
    { message: { a: true } },
    { message: null },
  ]);
  // No time and no observed time: the record gets the clock's time, metadata stays empty.
  assertEquals(recs[3]!.time, fixedNow());
  assertEquals(recs[3]!.metadata, { o: {} });
  const plain = decodeLogs(body, "json", { now: fixedNow });
  assertEquals(plain.slice(1, 4).map((r) => r.body), [{ log: 7 }, { a: true }, { log: null }]);
});

Deno.test("decodeLogs() takes the time from observedTimeUnixNano when time is absent", () => {
  const body = jsonBytes({
    resourceLogs: [{
      scopeLogs: [{ logRecords: [{ observedTimeUnixNano: "2209072510808241446", flags: 1 }] }],
    }],
  });
  const [, rec] = decodeLogs(body, "json");
  assert(rec !== undefined);
  assertEquals(rec.time, new EventTime(2209072510, 808241446));
  assertEquals(rec.metadata, {
    otlp: { observed_timestamp: 2209072510808241446n, trace_flags: 1 },
  });
});

Deno.test("decodeLogs() reads Fluent Bit's snake_case integration payloads, post-2038 times too", () => {
  const recs = decodeLogs(testdata("fb-it-in_opentelemetry__test_logs_2038.in.json"), "json");
  assertEquals(recs.length, 3);
  assertEquals(recs[0]!.body, { resource: {}, scope: { name: "post-2038" } });
  assertEquals(recs[1]!.time, new EventTime(2209072510, 808241446));
  assertEquals(recs[1]!.body, { log: "post-2038 timestamp" });
  assertEquals(recs[1]!.metadata, {
    otlp: { timestamp: 2209072510808241446n, severity_number: 9, severity_text: "INFO" },
  });
  const many = decodeLogs(testdata("fb-it-in_opentelemetry__test_logs_001.in.json"), "json");
  const starts = many.filter((r) => r.time === GROUP_START).map((r) => r.metadata);
  assertEquals(starts, [
    { schema: "otlp", resource_id: 0, scope_id: 0 },
    { schema: "otlp", resource_id: 0, scope_id: 1 },
    { schema: "otlp", resource_id: 1, scope_id: 0 },
    { schema: "otlp", resource_id: 1, scope_id: 1 },
  ]);
});

Deno.test("decodeLogs() rejects base64 IDs, which OTLP/JSON does not allow", () => {
  // This Fluent Bit integration payload was written with proto3 JSON (base64 bytes);
  // the OTLP spec requires hex trace and span IDs, as the OTel Collector does.
  const err = assertThrows(
    () => decodeLogs(testdata("fb-it-out_opentelemetry__test_logs_metadata_001.in.json"), "json"),
    OtlpDecodeError,
  );
  assertEquals((err as OtlpDecodeError).path, "resourceLogs[0].scopeLogs[0].logRecords[0].traceId");
});

Deno.test("decodeLogs() leaves out ScopeLogs without records", () => {
  const body = jsonBytes({
    resourceLogs: [{
      scopeLogs: [{}, { scope: { name: "b" }, logRecords: [{ timeUnixNano: "5" }] }],
    }],
  });
  const recs = decodeLogs(body, "json");
  assertEquals(recs.map((r) => r.time.sec), [-1, 0, -2]);
  assertEquals(recs[0]!.metadata, { schema: "otlp", resource_id: 0, scope_id: 1 });
});

Deno.test("encodeLogs() then decodeLogs() gives the same records, protobuf and JSON", () => {
  for (
    const name of [
      "otelproto-examples-logs.json",
      "otelproto-examples-events.json",
      "fb-it-in_opentelemetry__test_logs_001.in.json",
    ]
  ) {
    const records = decodeLogs(testdata(name), "json");
    for (const format of ["protobuf", "json"] as const) {
      const back = decodeLogs(encodeLogs(records, format), format);
      assertEquals(back, records, `${name} ${format}`);
    }
  }
});

Deno.test("encodeLogs() keeps resource and scope per group and merges groups of one resource", () => {
  const body = jsonBytes({
    resourceLogs: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "a" } }] },
        schemaUrl: "https://r",
        scopeLogs: [
          { scope: { name: "s1", droppedAttributesCount: 2 }, logRecords: [{ timeUnixNano: "1" }] },
          { scope: { name: "s2" }, schemaUrl: "https://s", logRecords: [{ timeUnixNano: "2" }] },
        ],
      },
      { scopeLogs: [{ logRecords: [{ timeUnixNano: "3", body: { bytesValue: "AAE=" } }] }] },
    ],
  });
  const records = decodeLogs(body, "json");
  const out = JSON.parse(new TextDecoder().decode(encodeLogs(records, "json")));
  assertEquals(out.resourceLogs.length, 2);
  assertEquals(out.resourceLogs[0].schemaUrl, "https://r");
  assertEquals(out.resourceLogs[0].scopeLogs.map((s: { scope: unknown }) => s.scope), [
    { name: "s1", droppedAttributesCount: 2 },
    { name: "s2" },
  ]);
  assertEquals(out.resourceLogs[0].scopeLogs[1].schemaUrl, "https://s");
  assertEquals(out.resourceLogs[1].scopeLogs[0].logRecords[0].body, { bytesValue: "AAE=" });
  assertEquals(decodeLogs(encodeLogs(records, "protobuf"), "protobuf"), records);
});

Deno.test("encodeLogs() sends plain records with an empty resource and the body as a kvlist", () => {
  const records: LogRecord[] = [
    logRecord({ log: "line one", n: 1 }, new EventTime(1700000000, 1)),
    logRecord({ log: "only" }, new EventTime(1700000001, 0)),
  ];
  const out = JSON.parse(new TextDecoder().decode(encodeLogs(records, "json")));
  assertEquals(out, {
    resourceLogs: [{
      resource: {},
      scopeLogs: [{
        scope: {},
        logRecords: [
          {
            timeUnixNano: "1700000000000000001",
            body: {
              kvlistValue: {
                values: [
                  { key: "log", value: { stringValue: "line one" } },
                  { key: "n", value: { intValue: "1" } },
                ],
              },
            },
          },
          {
            timeUnixNano: "1700000001000000000",
            body: { kvlistValue: { values: [{ key: "log", value: { stringValue: "only" } }] } },
          },
        ],
      }],
    }],
  });
  // With logs_body_key the named field becomes the body.
  const keyed = decodeLogs(encodeLogs(records, "protobuf", { bodyKey: "log" }), "protobuf");
  assertEquals(keyed[1]!.body, { log: "line one" });
  assertEquals(keyed[1]!.metadata, { otlp: { timestamp: 1700000000000000001n } });
});

Deno.test("encodeLogs() reads OTLP metadata a filter rewrote (hex IDs, number times)", () => {
  const rec: LogRecord = {
    time: new EventTime(10, 0),
    metadata: {
      otlp: {
        timestamp: 20_000_000_000,
        trace_id: "5B8EFFF798038103D269B633813FC60C",
        span_id: 12,
        severity_number: 13n,
        attributes: { k: "v" },
      },
    },
    body: { log: "x" },
  };
  const [, back] = decodeLogs(encodeLogs([rec], "protobuf"), "protobuf");
  assert(back !== undefined);
  assertEquals(back.time, new EventTime(20, 0));
  assertEquals(back.metadata, {
    otlp: {
      timestamp: 20000000000n,
      severity_number: 13,
      attributes: { k: "v" },
      trace_id: bytes("5b8efff798038103d269b633813fc60c"),
    },
  });
  assertEquals(back.body, { log: "x" });
});

Deno.test("validateLogs() reports trace and span IDs of the wrong length by place", () => {
  const body = jsonBytes({
    resourceLogs: [{
      scopeLogs: [{
        logRecords: [
          { traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b174" },
          { traceId: "1234567890abcdef", spanId: "" },
          { spanId: "12345678" },
        ],
      }],
    }],
  });
  const records = decodeLogs(body, "json", { now: fixedNow });
  assertEquals(validateLogs(records), [
    "resourceLogs[0].scopeLogs[0].logRecords[1].traceId: expected 16 bytes (32 hex characters), got 8",
    "resourceLogs[0].scopeLogs[0].logRecords[2].spanId: expected 8 bytes (16 hex characters), got 4",
  ]);
  assert(validateLogs([logRecord({ a: 1 })]).length === 0);
});
