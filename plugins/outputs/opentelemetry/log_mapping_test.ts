import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { outputOptions } from "./_testing.ts";
import { BODY_SLOT, logMapping, mapLogRecord } from "./log_mapping.ts";

const mapping = logMapping(outputOptions());

Deno.test("mapLogRecord() unwraps the input's {log} body of an OTLP record, keeps the rest", () => {
  const rec: LogRecord = {
    time: new EventTime(1, 0),
    metadata: { otlp: { severity_number: 9 } },
    body: { log: "text" },
  };
  const out = mapLogRecord(rec, mapping);
  assertEquals(out.body, { [BODY_SLOT]: "text" });
  assertEquals(out.metadata, rec.metadata);
  const map: LogRecord = { ...rec, body: { a: 1 } };
  assertEquals(mapLogRecord(map, mapping), map, "unchanged records are returned as they are");
});

Deno.test("mapLogRecord() fills OTLP fields from Fluent Bit's $-metadata and message keys", () => {
  const rec: LogRecord = {
    time: new EventTime(1, 0),
    metadata: { Timestamp: 42n, SeverityNumber: 99, Attributes: { k: "v" } },
    body: { SeverityNumber: 13, SeverityText: "WARN", SpanId: "0102030405060708", m: 1 },
  };
  const out = mapLogRecord(rec, mapping);
  assertEquals(out.metadata.otlp, {
    timestamp: 42n,
    severity_number: 13,
    severity_text: "WARN",
    span_id: "0102030405060708",
    attributes: { k: "v" },
  });
  assertEquals(out.body, rec.body);
});
