import { assertEquals, assertThrows } from "../testing/assert.ts";
import { compileDecoders } from "./decoders.ts";

function decode(field: string[], as: string[], body: Record<string, unknown>) {
  compileDecoders(field, as)!.apply(body);
  return body;
}

Deno.test("compileDecoders() returns null when no rule is set", () => {
  assertEquals(compileDecoders([], []), null);
});

Deno.test("decode_field_as json replaces an escaped JSON string with its map", () => {
  const body = decode([], ["json log"], { log: '{\\"status\\": \\"up\\"}', stream: "stdout" });
  assertEquals(body, { log: { status: "up" }, stream: "stdout" });
  assertEquals(decode([], ["json log"], { log: "plain text" }), { log: "plain text" });
});

Deno.test("decode_field json adds the decoded keys at the end and keeps the field", () => {
  const body = decode(["json log"], [], { log: '{"a":1,"b":[2]}', time: "t" });
  assertEquals(body, { log: '{"a":1,"b":[2]}', time: "t", a: 1, b: [2] });
  assertEquals(Object.keys(body), ["log", "time", "a", "b"]);
});

Deno.test("decode_field_as escaped and escaped_utf8 undo escapes", () => {
  assertEquals(decode([], ["escaped log"], { log: 'a\\tb\\n\\"q\\"' }), { log: 'a\tb\n"q"' });
  assertEquals(
    decode([], ["escaped_utf8 log"], { log: '\\u0009x\\x41\\101\\u00e9\\"' }),
    { log: '\txAAé\\"' },
  );
  assertEquals(decode([], ["escaped_utf8 log"], { log: "\\ud83d\\ude00" }), { log: "😀" });
});

Deno.test("decode_field_as mysql_quoted unquotes like Fluent Bit's mysql test", () => {
  const cases: [string, string][] = [
    ["plain", "plain"],
    ["''", ""],
    ["'333'", "333"],
    ["'\\n'", "\n"],
    ["'\\r'", "\r"],
    ["'\\''", "'"],
    ["'\\\"'", '"'],
    ["'\\\\'", "\\"],
    ["'abc\\nE\\\\'", "abc\nE\\"],
    ['"it""s"', 'it"s'],
  ];
  for (const [input, expected] of cases) {
    assertEquals(decode([], ["mysql_quoted v"], { v: input }).v, expected, input);
  }
});

Deno.test("decoder actions: try_next on failure, do_next always", () => {
  // json fails on plain text, so try_next moves on to escaped.
  assertEquals(
    decode([], ["json log try_next", "escaped log"], { log: "a\\tb" }),
    { log: "a\tb" },
  );
  // Without an action the first failure stops the rules.
  assertEquals(decode([], ["json log", "escaped log"], { log: "a\\tb" }), { log: "a\\tb" });
  // do_next: unescape, then decode the result as JSON into extra keys.
  assertEquals(
    decode(["json log"], ["escaped log do_next"], { log: '{\\"k\\":\\"v\\"}' }),
    { log: '{"k":"v"}', k: "v" },
  );
});

Deno.test("compileDecoders() rejects unknown decoders, actions and short rules", () => {
  assertThrows(() => compileDecoders(["yaml log"], []), SyntaxError, '"yaml"');
  assertThrows(() => compileDecoders([], ["json log maybe"]), SyntaxError, '"maybe"');
  assertThrows(() => compileDecoders(["json"], []), SyntaxError, "decoder field");
});
