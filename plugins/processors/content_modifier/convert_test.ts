import { assertEquals } from "../../../src/testing/assert.ts";
import { CANNOT, convertValue, hashValue, sha256Hex } from "./convert.ts";

Deno.test("sha256Hex() gives Fluent Bit's digest for its test value", () => {
  assertEquals(
    sha256Hex("value"),
    "cd42404d52ad55ccfa9aca4adc828aa5800ad9d385a0671fbcbf724118320619",
  );
});

Deno.test("hashValue() hashes the string form, leaves empty strings, refuses maps", () => {
  assertEquals(hashValue("value"), sha256Hex("value"));
  assertEquals(hashValue(100), sha256Hex("100"));
  assertEquals(hashValue(true), sha256Hex("true"));
  assertEquals(hashValue(""), "");
  assertEquals(hashValue({ a: 1 }), CANNOT);
  assertEquals(hashValue([1]), CANNOT);
});

Deno.test("convertValue() follows Fluent Bit's string rules", () => {
  assertEquals(convertValue("100", "int"), 100);
  assertEquals(convertValue("-100", "int"), -100);
  assertEquals(convertValue("4294967295", "int"), 4294967295);
  assertEquals(convertValue("4294967296", "int"), CANNOT);
  assertEquals(convertValue("-2147483649", "int"), CANNOT);
  assertEquals(convertValue("1.5", "int"), CANNOT);
  assertEquals(convertValue("12abc", "int"), CANNOT);
  assertEquals(convertValue("123.456", "double"), 123.456);
  assertEquals(convertValue("12abc", "double"), 12);
  assertEquals(convertValue("abc", "double"), CANNOT);
  assertEquals(convertValue("TRUE", "boolean"), true);
  assertEquals(convertValue("false", "boolean"), false);
  assertEquals(convertValue("yes", "boolean"), false);
  assertEquals(convertValue(new TextEncoder().encode("7"), "int"), 7);
});

Deno.test("convertValue() converts numbers, booleans, bigints and null by value", () => {
  assertEquals(convertValue(-100, "string"), "-100");
  assertEquals(convertValue(123.456, "string"), "123.456");
  assertEquals(convertValue(-100, "boolean"), true);
  assertEquals(convertValue(0, "boolean"), false);
  assertEquals(convertValue(2.5, "int"), 3);
  assertEquals(convertValue(-2.5, "int"), -3, "rounds half away from zero, as C round()");
  assertEquals(convertValue(7, "double"), 7);
  assertEquals(convertValue(2n ** 63n, "string"), "9223372036854775808");
  assertEquals(convertValue(0n, "boolean"), false);
  assertEquals(convertValue(true, "int"), 1);
  assertEquals(convertValue(false, "string"), "false");
  assertEquals(convertValue(null, "string"), "null");
  assertEquals(convertValue(null, "int"), 0);
  assertEquals(convertValue(null, "boolean"), false);
  assertEquals(convertValue({}, "string"), CANNOT);
});
