import { EventTime } from "../../../src/event/event_time.ts";
import { GROUP_END, GROUP_START, type LogRecord } from "../../../src/event/log_record.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { compileTemplate, formatFileRecords, parseDelimiter, type TextFormat } from "./formats.ts";

const RECORDS: LogRecord[] = [
  { time: new EventTime(1700000000, 123456789), metadata: {}, body: { message: "hello", n: 1 } },
  { time: GROUP_START, metadata: {}, body: { resource: {} } },
  {
    time: new EventTime(1700000001, 5),
    metadata: { m: 1 },
    body: { message: "wörld", ok: true, f: 0.5, list: [1, "x"] },
  },
  { time: GROUP_END, metadata: {}, body: {} },
  { time: new EventTime(1700000002, 0), metadata: {}, body: {} },
];

function fmt(format: TextFormat, atFileStart = false): string {
  return formatFileRecords(RECORDS, "app.log", { format, atFileStart });
}

Deno.test("formatFileRecords() writes out_file lines as tag: [sec.nsec, json]", () => {
  assertEquals(
    fmt({ kind: "out_file" }),
    'app.log: [1700000000.123456789, {"message":"hello","n":1}]\n' +
      'app.log: [1700000001.000000005, {"message":"wörld","ok":true,"f":0.5,"list":[1,"x"]}]\n' +
      "app.log: [1700000002.000000000, {}]\n",
  );
});

Deno.test("formatFileRecords() writes each out_file record's own time when neighbours share it", () => {
  const t = new EventTime(1700000000, 1);
  const records: LogRecord[] = [
    { time: t, metadata: {}, body: { i: 1 } },
    { time: t, metadata: {}, body: { i: 2 } },
    { time: new EventTime(1700000000, 2), metadata: {}, body: { i: 3 } },
  ];
  assertEquals(
    formatFileRecords(records, "t", { format: { kind: "out_file" }, atFileStart: false }),
    't: [1700000000.000000001, {"i":1}]\nt: [1700000000.000000001, {"i":2}]\n' +
      't: [1700000000.000000002, {"i":3}]\n',
  );
});

Deno.test("formatFileRecords() writes plain lines as the body's JSON", () => {
  assertEquals(
    fmt({ kind: "plain" }),
    '{"message":"hello","n":1}\n{"message":"wörld","ok":true,"f":0.5,"list":[1,"x"]}\n{}\n',
  );
});

Deno.test("formatFileRecords() writes csv: time first, values as msgpack-c prints them", () => {
  assertEquals(
    fmt({ kind: "csv", delimiter: ",", columnNames: false }),
    '1700000000.123456789,"hello",1\n1700000001.000000005,"wörld",true,0.500000,[1, "x"]\n',
  );
});

Deno.test("formatFileRecords() starts an empty file's csv with the column names", () => {
  assertEquals(
    fmt({ kind: "csv", delimiter: "\t", columnNames: true }, true),
    'timestamp\t"message"\t"n"\n1700000000.123456789\t"hello"\t1\n' +
      '1700000001.000000005\t"wörld"\ttrue\t0.500000\t[1, "x"]\n',
  );
  assertEquals(
    fmt({ kind: "csv", delimiter: ",", columnNames: true }, false).startsWith("1700000000."),
    true,
  );
});

Deno.test("formatFileRecords() writes ltsv with a quoted time label and six decimals", () => {
  assertEquals(
    fmt({ kind: "ltsv", delimiter: "\t", labelDelimiter: ":" }),
    '"time":1700000000.123457\t"message":"hello"\t"n":1\n' +
      '"time":1700000001.000000\t"message":"wörld"\t"ok":true\t"f":0.500000\t"list":[1, "x"]\n',
  );
});

Deno.test("formatFileRecords() fills a template, keeping unknown keys as written", () => {
  assertEquals(
    fmt({ kind: "template", template: compileTemplate("{time} {message}") }),
    "1700000000.123457 hello\n1700000001.000000 wörld\n1700000002.000000 {message}\n",
  );
  assertEquals(
    fmt({ kind: "template", template: compileTemplate("n={n} ok={ok} l={list}") }),
    'n=1 ok={ok} l={list}\nn={n} ok=true l=[1, "x"]\nn={n} ok={ok} l={list}\n',
  );
});

Deno.test("compileTemplate() treats a nested or unclosed brace as text, as Fluent Bit does", () => {
  assertEquals(compileTemplate("x {a{b} y {c"), ["x {a", { key: "b", raw: "{b}" }, " y {c"]);
  assertEquals(compileTemplate("}{k}"), ["}", { key: "k", raw: "{k}" }]);
});

Deno.test("parseDelimiter() knows \\t, tab, space and comma and nothing else", () => {
  assertEquals(parseDelimiter("\\t"), "\t");
  assertEquals(parseDelimiter("TAB"), "\t");
  assertEquals(parseDelimiter("space"), " ");
  assertEquals(parseDelimiter("comma"), ",");
  assertEquals(parseDelimiter(";"), undefined);
  assertEquals(parseDelimiter(undefined), undefined);
});
