import { assertEquals, assertThrows } from "../testing/assert.ts";
import { hexId, idFromHex, isZeroId, OtlpDecodeError } from "./mod.ts";

Deno.test("hexId() writes lower-case hex and idFromHex() reads either case", () => {
  const id = idFromHex("5B8EFFF798038103d269b633813fc60c");
  assertEquals(id.length, 16);
  assertEquals(hexId(id), "5b8efff798038103d269b633813fc60c");
  assertEquals(hexId(new Uint8Array(0)), "");
  assertEquals(idFromHex("").length, 0);
});

Deno.test("idFromHex() names the path and the problem for odd lengths and non-hex", () => {
  const odd = assertThrows(() => idFromHex("abc", "spans[0].spanId"), OtlpDecodeError);
  assertEquals(odd.message, "spans[0].spanId: expected an even number of hex characters, got 3");
  const bad = assertThrows(() => idFromHex("000G", "x"), OtlpDecodeError);
  assertEquals(bad.message, 'x: expected hex characters, got "G" in "000G"');
  assertThrows(() => idFromHex("d2UbvVzgzpk=", "x"), OtlpDecodeError, "expected hex characters");
  assertThrows(() => idFromHex("00é0", "x"), OtlpDecodeError, "expected hex characters");
});

Deno.test("isZeroId() is true only when every byte is zero", () => {
  assertEquals(isZeroId(new Uint8Array(8)), true);
  assertEquals(isZeroId(idFromHex("0000000000000001")), false);
});
