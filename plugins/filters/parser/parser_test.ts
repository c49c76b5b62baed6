import { Ack } from "../../../src/event/ack.ts";
import type { LogChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { GROUP_START, type LogRecord, logRecord } from "../../../src/event/log_record.ts";
import { buildParserRegistry } from "../../../src/parsers/registry.ts";
import { parserDefinition } from "../../../src/parsers/builtin.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { parseChunk, type ParseFieldOptions, parseRecord } from "./parser.ts";

const vectors = JSON.parse(
  await Deno.readTextFile(
    new URL("../../../testdata/parsers/parser-vectors.json", import.meta.url),
  ),
);
const example = vectors.docs_examples[4];
const registry = buildParserRegistry([{
  values: parserDefinition(example.parser),
  pos: { file: "parsers.yaml", line: 2, col: 5 },
}]);
const T0 = new EventTime(1_700_000_000, 5);

function settings(extra: Partial<ParseFieldOptions> = {}): ParseFieldOptions {
  return {
    keyName: "data",
    parsers: [registry.get("dummy_test")!],
    reserveData: false,
    preserveKey: false,
    ...extra,
  };
}

Deno.test("parseRecord() gives the docs' parser filter outputs, key order included", () => {
  for (const c of example.filter_cases) {
    const options = settings({
      keyName: c.filter.key_name,
      reserveData: c.filter.reserve_data ?? false,
      preserveKey: c.filter.preserve_key ?? false,
    });
    const out = parseRecord(logRecord({ ...c.record }, T0), options);
    assertEquals(out.body, c.doc_expected);
    assertEquals(Object.keys(out.body), Object.keys(c.doc_expected));
    assertEquals(out.time, T0);
  }
});

Deno.test("parseRecord() keeps key_name without reserve_data when preserve_key is on", () => {
  const record = logRecord({ data: "1 2 3 four", other: "x" }, T0);
  const out = parseRecord(record, settings({ preserveKey: true }));
  assertEquals(out.body, { INT: "1", FLOAT: "2", BOOL: "3", STRING: "four", data: "1 2 3 four" });
});

Deno.test("parseRecord() leaves records it cannot parse as they are", () => {
  const unmatched = logRecord({ data: "too short" }, T0);
  assertEquals(parseRecord(unmatched, settings()) === unmatched, true);
  const missing = logRecord({ other: "1 2 3 4" }, T0);
  assertEquals(parseRecord(missing, settings()) === missing, true);
  const notText = logRecord({ data: { nested: true } }, T0);
  assertEquals(parseRecord(notText, settings()) === notText, true);
});

Deno.test("parseRecord() tries parsers in order and takes the parsed time", () => {
  const options = settings({
    keyName: "log",
    parsers: [registry.get("json")!, registry.get("apache2")!],
    reserveData: true,
  });
  const line = '10.0.0.1 - - [29/Jul/2015:10:27:10 -0300] "GET / HTTP/1.1" 200 5 "-" "curl"';
  const record: LogRecord = { time: T0, metadata: { m: 1 }, body: { log: line, stream: "stdout" } };
  const out = parseRecord(record, options);
  assertEquals(out.time, new EventTime(1438176430, 0));
  assertEquals(out.metadata, { m: 1 });
  assertEquals(out.body.stream, "stdout");
  assertEquals(out.body.code, "200");
  assertEquals("log" in out.body, false);
  const viaJson = parseRecord(
    logRecord({ log: '{"a":1,"stream":"parsed"}', stream: "x" }, T0),
    options,
  );
  assertEquals(viaJson.body, { a: 1, stream: "parsed" });
  assertEquals(viaJson.time, T0);
});

Deno.test("parseRecord() reads key_name given as bytes", () => {
  const bytes = new TextEncoder().encode("100 0.5 true bytes here");
  assertEquals(parseRecord(logRecord({ data: bytes }, T0), settings()).body.STRING, "bytes here");
});

Deno.test("parseChunk() keeps the chunk, its ack and untouched records where it can", () => {
  const ack = new Ack();
  const marker: LogRecord = { time: GROUP_START, metadata: {}, body: {} };
  const plain = logRecord({ data: "unparsable" }, T0);
  const chunk: LogChunk = {
    signal: "logs",
    tag: "dummy.data",
    bytes: 100,
    ack,
    input: "dummy.0",
    records: [marker, plain, logRecord({ data: "1 2 3 x" }, T0)],
  };
  const out = parseChunk(chunk, settings()) as LogChunk;
  assertEquals(out.ack === ack, true);
  assertEquals([out.tag, out.input, out.records.length], ["dummy.data", "dummy.0", 3]);
  assertEquals(out.records[0] === marker && out.records[1] === plain, true);
  assertEquals(out.records[2]!.body, { INT: "1", FLOAT: "2", BOOL: "3", STRING: "x" });
  const untouched: LogChunk = { ...chunk, records: [plain] };
  assertEquals(parseChunk(untouched, settings()) === untouched, true);
});
