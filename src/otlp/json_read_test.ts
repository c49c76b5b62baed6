import { assertEquals, assertThrows } from "../testing/assert.ts";
import { OtlpDecodeError } from "./errors.ts";
import {
  jsonBytes,
  jsonDouble,
  jsonEnum,
  jsonInt32,
  jsonInt64,
  jsonUint64,
  parseJson,
} from "./json_read.ts";

Deno.test("parseJson() keeps integers beyond 2^53 exact as bigint", () => {
  assertEquals(parseJson('{"a": 18446744073709551615, "b": 1.5, "c": "19"}'), {
    a: 18446744073709551615n,
    b: 1.5,
    c: "19",
  });
  assertEquals(parseJson("[9007199254740993, 12]"), [9007199254740993n, 12]);
  assertThrows(() => parseJson("{"), OtlpDecodeError, "invalid JSON");
});

Deno.test("jsonUint64() takes decimal strings and numbers and checks the range", () => {
  assertEquals(jsonUint64("1544712660300000000", "t"), 1544712660300000000n);
  assertEquals(jsonUint64(12, "t"), 12n);
  assertEquals(jsonUint64(null, "t"), 0n);
  assertEquals(jsonUint64("18446744073709551615", "t"), 18446744073709551615n);
  assertThrows(() => jsonUint64("18446744073709551616", "t"), OtlpDecodeError, "out of range");
  assertThrows(() => jsonUint64("-1", "t"), OtlpDecodeError, "out of range");
  assertThrows(() => jsonUint64("12abc", "t"), OtlpDecodeError, '"12abc"');
  assertThrows(() => jsonUint64(1.5, "t"), OtlpDecodeError, "expected an integer");
  assertThrows(() => jsonUint64({}, "t"), OtlpDecodeError, "got object");
  assertEquals(jsonInt64("-9223372036854775808", "i"), -9223372036854775808n);
  assertThrows(() => jsonInt64("9223372036854775808", "i"), OtlpDecodeError);
});

Deno.test("jsonInt32() and jsonEnum() take numbers, numeric strings and enum names", () => {
  assertEquals(jsonInt32("2", "s", false), 2);
  assertEquals(jsonInt32("-1", "s", false), -1);
  assertThrows(() => jsonInt32("-1", "u"), OtlpDecodeError, "out of range");
  assertThrows(() => jsonInt32(4294967296, "u"), OtlpDecodeError, "out of range");
  const names = { A: 0, B: 1 };
  assertEquals(jsonEnum("B", "e", names), 1);
  assertEquals(jsonEnum(7, "e", names), 7);
  assertThrows(() => jsonEnum("toString", "e", names), OtlpDecodeError, "unknown enum value");
});

Deno.test("jsonDouble() takes numbers, numeric strings and the proto3 special values", () => {
  assertEquals(jsonDouble("38.25", "d"), 38.25);
  assertEquals(jsonDouble("Infinity", "d"), Infinity);
  assertEquals(jsonDouble("-Infinity", "d"), -Infinity);
  assertEquals(jsonDouble("NaN", "d"), NaN);
  assertEquals(jsonDouble(3n, "d"), 3);
  assertThrows(() => jsonDouble("", "d"), OtlpDecodeError);
  assertThrows(() => jsonDouble(true, "d"), OtlpDecodeError, "got boolean");
});

Deno.test("jsonBytes() reads standard and URL-safe base64", () => {
  assertEquals(jsonBytes("AP8=", "b"), new Uint8Array([0, 255]));
  assertEquals(jsonBytes("AP8", "b"), new Uint8Array([0, 255]));
  assertEquals(jsonBytes("-_8=", "b"), new Uint8Array([251, 255]));
  assertThrows(() => jsonBytes("not base64!", "b"), OtlpDecodeError, "expected base64");
});
