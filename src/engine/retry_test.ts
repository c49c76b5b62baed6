import { assertEquals, assertThrows } from "../testing/assert.ts";
import { backoffSeconds } from "./retry.ts";
import { parseRetryLimit } from "../config/values.ts";

Deno.test("parseRetryLimit reads Fluent Bit's values", () => {
  assertEquals(parseRetryLimit("1"), 1);
  assertEquals(parseRetryLimit("10"), 10);
  assertEquals(parseRetryLimit("no_limits"), Infinity);
  assertEquals(parseRetryLimit("False"), Infinity);
  assertEquals(parseRetryLimit("off"), Infinity);
  assertEquals(parseRetryLimit("no_retries"), 0);
  assertThrows(() => parseRetryLimit("lots"), SyntaxError, '"lots"');
});

Deno.test("backoffSeconds stays within base and the capped exponential", () => {
  const opts = { base: 3, cap: 30 };
  assertEquals(backoffSeconds(1, { ...opts, random: () => 0 }), 3);
  assertEquals(backoffSeconds(1, { ...opts, random: () => 1 }), 6);
  assertEquals(backoffSeconds(3, { ...opts, random: () => 1 }), 24);
  assertEquals(backoffSeconds(4, { ...opts, random: () => 1 }), 30);
  assertEquals(backoffSeconds(9, { ...opts, random: () => 1 }), 30);
});

Deno.test("backoffSeconds honours Retry-After", () => {
  assertEquals(backoffSeconds(5, { base: 5, cap: 2000, retryAfter: 2 }), 2);
});
