import { assertEquals } from "../testing/assert.ts";
import { EventTime } from "./event_time.ts";
import {
  encodeJsonRecords,
  formatJsonRecord,
  formatJsonRecords,
  type JsonDateFormat,
  parseDateKey,
} from "./json_format.ts";
import {
  bodyJson,
  bodyJsonAfterBrace,
  encodeJsonText,
  escapeUnicode,
  formatDouble,
  jsonValue,
} from "./json_value.ts";
import { GROUP_END, GROUP_START, type LogRecord } from "./log_record.ts";

// Fluent Bit's tests/internal/pack.c vector: [EventTime(123456789, 123456789), {"aa":"bb"}].
const FB_TIME = new EventTime(123456789, 123456789);
const FB_RECORD: LogRecord = { time: FB_TIME, metadata: {}, body: { aa: "bb" } };

function rec(body: Record<string, unknown>, sec = 1700000000, nsec = 0): LogRecord {
  return { time: new EventTime(sec, nsec), metadata: {}, body };
}

Deno.test("formatJsonRecords() writes each json_date_format as Fluent Bit's pack tests expect", () => {
  const cases: [JsonDateFormat, string][] = [
    ["double", "123456789.1234568"],
    ["iso8601", '"1973-11-29T21:33:09.123456Z"'],
    ["java_sql_timestamp", '"1973-11-29 21:33:09.123456"'],
    ["epoch", "123456789"],
    ["epoch_ms", "123456789123"],
    ["epoch_millis", "123456789123"],
  ];
  for (const [dateFormat, date] of cases) {
    assertEquals(
      formatJsonRecords([FB_RECORD], { format: "json", dateFormat }),
      `[{"date":${date},"aa":"bb"}]`,
      dateFormat,
    );
  }
});

Deno.test("formatJsonRecords() joins records as json, json_lines and json_stream", () => {
  const records = [rec({ a: 1 }, 1700000000, 500_000_000), rec({ b: "x" }, 1700000001)];
  assertEquals(
    formatJsonRecords(records, { format: "json" }),
    '[{"date":1700000000.5,"a":1},{"date":1700000001.0,"b":"x"}]',
  );
  assertEquals(
    formatJsonRecords(records, { format: "json_lines" }),
    '{"date":1700000000.5,"a":1}\n{"date":1700000001.0,"b":"x"}\n',
  );
  assertEquals(
    formatJsonRecords(records, { format: "json_stream", dateKey: null }),
    '{"a":1}{"b":"x"}',
  );
  assertEquals(formatJsonRecords([], { format: "json" }), "[]");
  assertEquals(formatJsonRecords([], { format: "json_lines" }), "");
});

Deno.test("formatJsonRecord() uses a custom date key and lets a body key of that name win", () => {
  const r = rec({ message: "m" }, 1700000000, 123456789);
  assertEquals(
    formatJsonRecord(r, { dateKey: "@timestamp", dateFormat: "iso8601" }),
    '{"@timestamp":"2023-11-14T22:13:20.123456Z","message":"m"}',
  );
  assertEquals(formatJsonRecord(rec({ date: "mine", x: 1 }), {}), '{"date":"mine","x":1}');
  assertEquals(formatJsonRecord(rec({}), {}), '{"date":1700000000.0}');
  assertEquals(formatJsonRecord(rec({}), { dateKey: null }), "{}");
});

Deno.test("parseDateKey() disables the date key for false, off and no", () => {
  assertEquals(parseDateKey(undefined), "date");
  assertEquals(parseDateKey("false"), null);
  assertEquals(parseDateKey("Off"), null);
  assertEquals(parseDateKey("no"), null);
  assertEquals(parseDateKey("ts"), "ts");
});

Deno.test("formatJsonRecords() skips group markers and writes __internal__ for groups and metadata", () => {
  const records: LogRecord[] = [
    { time: GROUP_START, metadata: { schema: "otlp" }, body: { resource: { a: 1 } } },
    { time: new EventTime(1, 0), metadata: { otlp: { severity_number: 9 } }, body: { m: "in" } },
    { time: GROUP_END, metadata: {}, body: {} },
    { time: new EventTime(2, 0), metadata: {}, body: { m: "out" } },
    { time: new EventTime(3, 0), metadata: { k: "v" }, body: { m: "meta" } },
  ];
  assertEquals(
    formatJsonRecords(records, { format: "json_lines", dateFormat: "epoch" }),
    '{"date":1,"__internal__":{"group_attributes":{"resource":{"a":1}},' +
      '"log_metadata":{"otlp":{"severity_number":9}}},"m":"in"}\n' +
      '{"date":2,"m":"out"}\n' +
      '{"date":3,"__internal__":{"log_metadata":{"k":"v"}},"m":"meta"}\n',
  );
});

Deno.test("jsonValue() writes bigint as a number, binary as a string and EventTime as a double", () => {
  const v = {
    big: 2n ** 64n - 1n,
    bin: new TextEncoder().encode("héllo"),
    t: new EventTime(1700000000, 250_000_000),
    nested: [1, { u: undefined }, null],
  };
  assertEquals(
    jsonValue(v),
    '{"big":18446744073709551615,"bin":"héllo","t":1700000000.25,"nested":[1,{"u":null},null]}',
  );
});

Deno.test("jsonValue() writes NaN as nan, or null with convertNanToNull, and infinities as inf", () => {
  assertEquals(jsonValue({ a: NaN, b: Infinity, c: -Infinity }), '{"a":nan,"b":inf,"c":-inf}');
  assertEquals(jsonValue({ a: NaN }, { convertNanToNull: true }), '{"a":null}');
});

Deno.test("formatDouble() matches C's %.16g with .0 on integral values", () => {
  assertEquals(formatDouble(1700000000.123456789), "1700000000.123457");
  assertEquals(formatDouble(1700000000), "1700000000.0");
  assertEquals(formatDouble(0.1 + 0.2), "0.3");
  assertEquals(formatDouble(0.00001234), "1.234e-05");
  assertEquals(formatDouble(1.5e300), "1.5e+300");
  assertEquals(formatDouble(-2.5), "-2.5");
});

Deno.test("escapeUnicode() writes non-ASCII and DEL as lowercase \\u escapes, astral as pairs", () => {
  assertEquals(escapeUnicode('{"m":"é😀\x7f"}'), '{"m":"\\u00e9\\ud83d\\ude00\\u007f"}');
  assertEquals(formatJsonRecord(rec({ m: "é" }), { dateKey: null }), '{"m":"\\u00e9"}');
  assertEquals(
    formatJsonRecord(rec({ m: "é\x7f" }), { dateKey: null, escapeUnicode: false }),
    '{"m":"é\\u007f"}',
  );
});

Deno.test("encodeJsonText() escapes only when the text is not ASCII", () => {
  const dec = new TextDecoder();
  assertEquals(dec.decode(encodeJsonText('{"a":"b"}', true)), '{"a":"b"}');
  assertEquals(dec.decode(encodeJsonText('{"a":"ü"}', true)), '{"a":"\\u00fc"}');
  assertEquals(dec.decode(encodeJsonText('{"a":"ü"}', false)), '{"a":"ü"}');
  assertEquals(dec.decode(encodeJsonText('{"a":"\x7f"}', false)), '{"a":"\\u007f"}');
});

Deno.test("encodeJsonRecords() gives the bytes of formatJsonRecords()", () => {
  const records = [rec({ m: "ä", n: 1 }), rec({ q: '"quoted"\n' })];
  for (const format of ["json", "json_lines", "json_stream"] as const) {
    assertEquals(
      new TextDecoder().decode(encodeJsonRecords(records, { format })),
      formatJsonRecords(records, { format }),
    );
  }
});

Deno.test("encodeJsonText() returns bytes a later call does not overwrite", () => {
  const dec = new TextDecoder();
  const first = encodeJsonText('{"a":"first"}', true);
  const second = encodeJsonText('{"b":"second, longer","c":"€"}', false);
  assertEquals(dec.decode(first), '{"a":"first"}');
  assertEquals(dec.decode(second), '{"b":"second, longer","c":"€"}');
  assertEquals(second.length, 32); // 30 UTF-16 units, "€" is 3 bytes
});

Deno.test("formatJsonRecords() writes each record's own time when neighbours share or change it", () => {
  const records = [
    rec({ i: 1 }, 1700000000, 500_000_000),
    rec({ i: 2 }, 1700000000, 500_000_000),
    rec({ i: 3 }, 1700000000, 250_000_000),
    rec({ i: 4 }, 1700000001, 250_000_000),
  ];
  assertEquals(
    formatJsonRecords(records, { format: "json_lines" }),
    '{"date":1700000000.5,"i":1}\n{"date":1700000000.5,"i":2}\n' +
      '{"date":1700000000.25,"i":3}\n{"date":1700000001.25,"i":4}\n',
  );
  assertEquals(
    formatJsonRecords(records, { format: "json_lines", dateFormat: "epoch" }),
    '{"date":1700000000,"i":1}\n{"date":1700000000,"i":2}\n' +
      '{"date":1700000000,"i":3}\n{"date":1700000001,"i":4}\n',
  );
});

Deno.test("jsonValue() writes a non-plain value found after string values", () => {
  assertEquals(
    jsonValue({ a: "x", b: "y", n: Number.NaN, big: 2n }),
    '{"a":"x","b":"y","n":nan,"big":2}',
  );
});

Deno.test("bodyJson() gives jsonValue()'s text for one-key, many-key and odd bodies", () => {
  const nullProto = Object.assign(Object.create(null), { log: "x" });
  class Box {
    log = "boxed";
  }
  const bodies: Record<string, unknown>[] = [
    { log: 'plain "quoted" back\\slash \t\n\u007f h\u00e9 \ud83d\ude00 lone \ud800' },
    { message: "another key" },
    { 'we"ird\u00e9': "key needing escapes" },
    { log: "" },
    {},
    { n: 1 },
    { nan: Number.NaN },
    { big: 10n },
    { log: "a", n: 2 },
    { nested: { log: "x" } },
    nullProto,
    new Box() as unknown as Record<string, unknown>,
  ];
  for (const b of bodies) assertEquals(bodyJson(b), jsonValue(b));
  assertEquals(bodyJson({ nan: Number.NaN }, { convertNanToNull: true }), '{"nan":null}');
});

Deno.test("bodyJsonAfterBrace() is bodyJson() without its opening brace", () => {
  for (const b of [{ log: "x \u00e9" }, {}, { a: 1, b: "2" }, { m: { n: [] } }]) {
    assertEquals("{" + bodyJsonAfterBrace(b), bodyJson(b));
  }
});
