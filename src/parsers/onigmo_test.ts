import { assertEquals, assertThrows } from "../testing/assert.ts";
import { compileOnigmo } from "./onigmo.ts";

Deno.test("compileOnigmo keeps named groups and translates anchors", () => {
  const re = compileOnigmo("\\A(?<word>\\w+) (?<hex>\\h+)\\z");
  assertEquals(re.exec("abc 0fF")?.groups, { word: "abc", hex: "0fF" });
  assertEquals(re.test("abc 0fF\nmore"), false);
});

Deno.test("compileOnigmo reads inline and delimited flags", () => {
  assertEquals(compileOnigmo("(?i)error").test("ERROR here"), true);
  assertEquals(compileOnigmo("/a.b/m").test("a\nb"), true);
});

Deno.test("compileOnigmo turns atomic groups and possessive quantifiers into JS", () => {
  assertEquals(compileOnigmo("(?>a+)b").test("aab"), true);
  assertEquals(compileOnigmo("a++b").test("aab"), true);
  assertEquals(compileOnigmo("[a+]+").exec("a+a")?.[0], "a+a");
});

Deno.test("compileOnigmo reports a bad pattern with the pattern quoted", () => {
  assertThrows(() => compileOnigmo("(unclosed"), SyntaxError, '"(unclosed"');
});

Deno.test("compileOnigmo keeps \\A at the start of input when the m flag gives Ruby's line anchors", () => {
  assertEquals(compileOnigmo("\\Afoo$", "m").test("x\nfoo"), false);
  assertEquals(compileOnigmo("\\Afoo$", "m").test("foo\nbar"), true);
  assertEquals(compileOnigmo("^(?<msg>.*)$", "m").exec("hello\n")?.groups?.msg, "hello");
});
