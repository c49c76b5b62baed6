import { assertEquals } from "../../../src/testing/assert.ts";
import { numericValue } from "./value.ts";

Deno.test("numericValue reads strings as %lf does: leading blanks, the number at the start", () => {
  assertEquals(
    ["12.5", " -3e2x", "+.5", "0x1A", "inf", "-Infinity", "7ms"].map(numericValue),
    [12.5, -300, 0.5, 26, Infinity, -Infinity, 7],
  );
  assertEquals([numericValue("abc"), numericValue(""), numericValue(null), numericValue([1])], [
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  assertEquals(Number.isNaN(numericValue("nan")), true);
});
