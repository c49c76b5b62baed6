import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { parserDefinition as def } from "./builtin.ts";
import { ParserDefinitionError } from "./definition.ts";
import { regexParser } from "./regex.ts";

const vectors = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/parsers/parser-vectors.json", import.meta.url)),
);
const apacheDoc = vectors.docs_examples[0];

Deno.test("regexParser() turns named groups into fields in pattern order", () => {
  const p = regexParser(def({ name: "kv", format: "regex", regex: "^(?<b>\\w+)=(?<a>\\w+)$" }));
  const r = p.parse("key=value");
  assertEquals(r, { body: { b: "key", a: "value" } });
  assertEquals(Object.keys(r!.body), ["b", "a"]);
  assertEquals(p.parse("no match here"), null);
});

Deno.test("regexParser() parses the docs' apache example with types (doc caveats fixed)", () => {
  const p = regexParser(def({ ...apacheDoc.parser, types: apacheDoc.parser.types_conf_tab }));
  const r = p.parse(apacheDoc.input);
  // The doc shows code/size as strings and empty referer/agent; with `types` and the
  // default skip_empty_values they are numbers and absent. Its timestamp is also wrong.
  const { referer: _r, agent: _a, ...rest } = apacheDoc.doc_expected[1];
  assertEquals(r?.body, { ...rest, code: 200, size: 3395 });
  assertEquals(r?.time?.sec, 1438176430);
});

Deno.test("regexParser() keeps empty and unmatched groups when skip_empty_values is off", () => {
  const p = regexParser(def({ ...apacheDoc.parser, skip_empty_values: false }));
  const body = p.parse(apacheDoc.input)?.body;
  assertEquals([body?.referer, body?.agent, body?.code], ["", "", "200"]);
});

Deno.test("regexParser() resolves every time_lookup vector through a regex record", () => {
  const now = () => Date.UTC(2017, 5, 1);
  for (const c of vectors.time_lookup.cases) {
    const abs = Math.abs(c.time_offset_seconds);
    const hhmm = String(Math.floor(abs / 3600) * 100 + abs % 3600 / 60).padStart(4, "0");
    const p = regexParser(
      def({
        name: c.parser,
        format: "regex",
        regex: "^(?<key001>[^ ]*) (?<key002>[^ ]*) (?<time>.+)$",
        time_format: c.time_format,
        time_keep: true,
        time_offset: c.time_offset_seconds ? `${c.time_offset_seconds < 0 ? "-" : "+"}${hhmm}` : "",
      }),
      { now },
    );
    const r = p.parse(`12345 0.99 ${c.time_string}`);
    assert(r?.time, `${c.parser} ${c.time_string}`);
    assertEquals(r.time.sec, c.expected_epoch, `${c.parser} ${c.time_string}`);
    assertEquals(r.time.nsec, Math.round(c.expected_frac_seconds * 1e9));
    assertEquals(r.body, { key001: "12345", key002: "0.99", time: c.time_string });
  }
});

Deno.test("regexParser() keeps a time field that does not match time_format, with no time", () => {
  const warnings: string[] = [];
  const p = regexParser(
    def({ name: "t", format: "regex", regex: "^(?<time>\\S+) (?<msg>.*)$", time_format: "%s" }),
    { warn: (m) => warnings.push(m) },
  );
  assertEquals(p.parse("soon hello"), { body: { time: "soon", msg: "hello" } });
  assertEquals(p.parse("1700000000 hello")?.body, { msg: "hello" });
  assertEquals(warnings.length, 1);
});

Deno.test("regexParser() applies Ruby's line anchors when the text holds a newline", () => {
  const p = regexParser(def({ name: "m", format: "regex", regex: "^(?<level>\\w+): (?<msg>.*)$" }));
  assertEquals(p.parse("ERROR: disk full\n")?.body, { level: "ERROR", msg: "disk full" });
  assertEquals(p.parse("ERROR: first\nsecond line")?.body, { level: "ERROR", msg: "first" });
});

Deno.test("regexParser() casts types and runs decoders like the mysql_quoted test", () => {
  const p = regexParser(def({
    name: "mysql_quoted_stuff",
    format: "regex",
    regex: "^(?<time>.*?),(?<key001>.*)$",
    time_key: "time",
    time_format: "%Y-%M-%S %H:%M:%S",
    time_keep: true,
    decode_field_as: ["mysql_quoted key001"],
  }));
  assertEquals(p.parse("2010-01-01 02:10:22,'abc\\nE\\\\'")?.body.key001, "abc\nE\\");
  assertEquals(p.parse("2010-01-01 02:10:22,plain")?.body.key001, "plain");
  const typed = regexParser(def({
    name: "typed",
    format: "regex",
    regex: "^(?<i>\\S+) (?<f>\\S+) (?<b>\\S+) (?<h>\\S+) (?<s>.+)$",
    types: "i:integer f:float b:bool h:hex s:string",
  }));
  assertEquals(typed.parse("100 0.5 true ff This is it")?.body, {
    i: 100,
    f: 0.5,
    b: true,
    h: 255,
    s: "This is it",
  });
});

Deno.test("regexParser() reports a missing or bad regex and other problems together", () => {
  assertThrows(
    () => regexParser(def({ name: "r", format: "regex" })),
    SyntaxError,
    "regex: is required",
  );
  try {
    regexParser(def({ name: "r", format: "regex", regex: "(?<x>", types: "x:number" }));
    throw new Error("expected a ParserDefinitionError");
  } catch (e) {
    assert(e instanceof ParserDefinitionError);
    assertEquals(e.problems.map((p) => p.key), ["regex", "types"]);
  }
});
