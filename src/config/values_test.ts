import { assertEquals, assertThrows } from "../testing/assert.ts";
import { parseBool, parseDuration, parseFloat, parseInt, parseList, parseSize } from "./values.ts";

Deno.test("parseSize reads Fluent Bit sizes as powers of ten", () => {
  assertEquals(parseSize("32000"), 32000);
  assertEquals(parseSize("32k"), 32000);
  assertEquals(parseSize("32KB"), 32000);
  assertEquals(parseSize("5M"), 5_000_000);
  assertEquals(parseSize("1.5M"), 1_500_000);
  assertEquals(parseSize("2g"), 2_000_000_000);
  assertEquals(parseSize(1024), 1024);
  assertThrows(() => parseSize("5 bananas"), SyntaxError, "expected a size");
});

Deno.test("parseDuration reads units correctly, unlike Fluent Bit's atoi", () => {
  assertEquals(parseDuration("5"), 5);
  assertEquals(parseDuration("5s"), 5);
  assertEquals(parseDuration("500ms"), 0.5);
  assertEquals(parseDuration("1.5m"), 90);
  assertEquals(parseDuration("1h"), 3600);
  assertEquals(parseDuration("1d"), 86400);
  assertEquals(parseDuration("0.5"), 0.5);
  assertEquals(parseDuration(2), 2);
  assertThrows(() => parseDuration("five"), SyntaxError, 'got "five"');
  assertThrows(() => parseDuration("5 parsecs"), SyntaxError);
});

Deno.test("parseBool accepts Fluent Bit words and YAML booleans", () => {
  for (const t of ["on", "On", "true", "yes", "YES", true]) assertEquals(parseBool(t), true);
  for (const f of ["off", "false", "no", "No", false]) assertEquals(parseBool(f), false);
  assertThrows(() => parseBool("maybe"), SyntaxError);
});

Deno.test("parseInt and parseFloat reject junk", () => {
  assertEquals(parseInt("42"), 42);
  assertEquals(parseInt(-3), -3);
  assertThrows(() => parseInt("4.2"), SyntaxError);
  assertEquals(parseFloat("0.25"), 0.25);
  assertThrows(() => parseFloat("x"), SyntaxError);
});

Deno.test("parseList splits commas and YAML lists", () => {
  assertEquals(parseList("docker, cri"), ["docker", "cri"]);
  assertEquals(parseList(["a", "b,c"]), ["a", "b", "c"]);
  assertEquals(parseList(""), []);
});
