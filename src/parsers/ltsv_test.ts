import { assertEquals } from "../testing/assert.ts";
import { parserDefinition as def } from "./builtin.ts";
import { ltsvParser } from "./ltsv.ts";

const vectors = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/parsers/parser-vectors.json", import.meta.url)),
);

Deno.test("ltsvParser() parses the docs' access log example with types and time", () => {
  const ex = vectors.docs_examples[3];
  const r = ltsvParser(def(ex.parser)).parse(ex.input);
  assertEquals(r?.body, ex.doc_expected[1]);
  assertEquals(r?.time?.sec, ex.doc_expected[0]);
});

Deno.test("ltsvParser() matches Fluent Bit's ltsv test lines", () => {
  const p = ltsvParser(def({ name: "ltsv", format: "ltsv" }));
  assertEquals(p.parse("a:b\tc:d")?.body, { a: "b", c: "d" });
  assertEquals(p.parse("a:very long string with whitespace\tc:d")?.body, {
    a: "very long string with whitespace",
    c: "d",
  });
  assertEquals(p.parse("a:b:c\tc:d")?.body, { a: "b:c", c: "d" });
});

Deno.test("ltsvParser() keeps empty values and stops at a bad label or line end", () => {
  const p = ltsvParser(def({ name: "ltsv", format: "ltsv" }));
  assertEquals(p.parse("a:\tb:2\r\nc:3")?.body, { a: "", b: "2" });
  assertEquals(p.parse("a:1\tbad label:2\tc:3")?.body, { a: "1" });
  assertEquals(p.parse("no separators"), null);
});
