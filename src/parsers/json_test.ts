import { assert, assertEquals } from "../testing/assert.ts";
import { parserDefinition as def } from "./builtin.ts";
import { jsonParser } from "./json.ts";

const vectors = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/parsers/parser-vectors.json", import.meta.url)),
);

Deno.test("jsonParser() parses one JSON map and rejects anything else", () => {
  const p = jsonParser(def({ name: "j", format: "json" }));
  assertEquals(p.parse(' {"a":1,"b":{"c":[true,null]}}\n'), {
    body: { a: 1, b: { c: [true, null] } },
  });
  assertEquals(p.parse("[1,2]"), null);
  assertEquals(p.parse('{"a":'), null);
  assertEquals(p.parse("plain text"), null);
  assertEquals(p.parse(""), null);
});

Deno.test("jsonParser() reads the time and drops time_key unless time_keep", () => {
  const fmt = "%Y-%m-%dT%H:%M:%S.%L%z";
  const line = '{"msg":"x","ts":"2024-02-29T12:00:00.250+01:00"}';
  const dropped = jsonParser(def({ name: "j", format: "json", time_key: "ts", time_format: fmt }));
  const r = dropped.parse(line);
  assertEquals(r?.body, { msg: "x" });
  assertEquals([r?.time?.sec, r?.time?.nsec], [Date.UTC(2024, 1, 29, 11) / 1000, 250_000_000]);
  const kept = jsonParser(
    def({ name: "j", format: "json", time_key: "ts", time_format: fmt, time_keep: true }),
  );
  assertEquals(kept.parse(line)?.body, { msg: "x", ts: "2024-02-29T12:00:00.250+01:00" });
});

Deno.test("jsonParser() keeps the record without a time when time_key does not match", () => {
  const warnings: string[] = [];
  const p = jsonParser(def({ name: "j", format: "json", time_format: "%s" }), {
    warn: (m) => warnings.push(m),
  });
  assertEquals(p.parse('{"time":"yesterday","a":1}'), { body: { time: "yesterday", a: 1 } });
  assertEquals(p.parse('{"time":1700000000,"a":1}'), { body: { time: 1700000000, a: 1 } });
  assertEquals(warnings, ['[parser:j] invalid time format %s for "yesterday"']);
});

Deno.test("jsonParser() ignores time_key when there is no time_format", () => {
  const p = jsonParser(def({ name: "j", format: "json", time_key: "time" }));
  assertEquals(p.parse('{"time":"2024-01-01"}'), { body: { time: "2024-01-01" } });
});

Deno.test("jsonParser() matches the docs' json example (time fixed: the doc's is 3 h off)", () => {
  const ex = vectors.docs_examples[1];
  const p = jsonParser(def(ex.parser));
  const r = p.parse(ex.input);
  assertEquals(r?.body, ex.doc_expected[1]);
  assertEquals(r?.time?.sec, 1154092924);
});

Deno.test("jsonParser() resolves every time_lookup vector through a JSON record", () => {
  const now = () => Date.UTC(2017, 5, 1);
  for (const c of vectors.time_lookup.cases) {
    const abs = Math.abs(c.time_offset_seconds);
    const hhmm = String(Math.floor(abs / 3600) * 100 + abs % 3600 / 60).padStart(4, "0");
    const offset = c.time_offset_seconds
      ? `${c.time_offset_seconds < 0 ? "-" : "+"}${hhmm}`
      : undefined;
    const p = jsonParser(
      def({
        name: c.parser,
        format: "json",
        time_format: c.time_format,
        time_keep: true,
        time_offset: offset,
      }),
      { now },
    );
    const r = p.parse(`{"key001": 12345, "key002": 0.99, "time": "${c.time_string}"}`);
    assert(r?.time, `${c.parser} ${c.time_string}`);
    assertEquals(r.time.sec, c.expected_epoch, `${c.parser} ${c.time_string}`);
    assertEquals(r.body, { key001: 12345, key002: 0.99, time: c.time_string });
  }
});

Deno.test("jsonParser() applies decoders before reading the time", () => {
  const p = jsonParser(def({
    name: "docker",
    format: "json",
    time_format: "%Y-%m-%dT%H:%M:%S.%L",
    time_keep: true,
    decode_field_as: ["json log"],
  }));
  const r = p.parse(
    '{"log":"{\\"status\\": \\"up\\"}\\n","time":"2018-03-09T01:01:44.851160855Z"}',
  );
  assertEquals(r?.body, { log: { status: "up" }, time: "2018-03-09T01:01:44.851160855Z" });
  assertEquals(r?.time?.nsec, 851160855);
});

Deno.test("jsonParser() keeps a __proto__ key as a field, not a prototype", () => {
  const p = jsonParser(def({ name: "j", format: "json", time_format: "%s" }));
  const body = p.parse('{"__proto__":{"polluted":true},"time":"1700000000"}')!.body;
  assertEquals(Object.getPrototypeOf(body), Object.prototype);
  assertEquals(Object.keys(body), ["__proto__"]);
  assertEquals((body as { polluted?: boolean }).polluted, undefined);
});
