import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { encodeValue } from "../../event/msgpack.ts";
import { msgpackEnd } from "./msgpack_scan.ts";

Deno.test("msgpackEnd() measures every msgpack type the codec writes", () => {
  const values = [
    null,
    true,
    1,
    -1,
    300,
    -300,
    70000,
    2 ** 40,
    -(2 ** 40),
    1.5,
    "x".repeat(40),
    "y".repeat(300),
    "z".repeat(70000),
    new Uint8Array(300),
    new Array(20).fill(1),
    Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
    [[{ a: [1, { b: "c" }] }]],
  ];
  for (const v of values) {
    const b = encodeValue(v).slice();
    assertEquals(msgpackEnd(b, 0), b.length, `value ${JSON.stringify(v)?.slice(0, 20)}`);
    assertEquals(msgpackEnd(b.subarray(0, b.length - 1), 0, 1 << 20), -1);
  }
});

Deno.test("msgpackEnd() refuses a declared length over the budget before the data arrives", () => {
  const hugeArray = new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff]);
  assertThrows(() => msgpackEnd(hugeArray, 0, 1 << 20), RangeError);
  const hugeStr = new Uint8Array([0xdb, 0x10, 0x00, 0x00, 0x00]);
  assertThrows(() => msgpackEnd(hugeStr, 0, 1 << 20), RangeError, "declares more");
  assertEquals(msgpackEnd(hugeStr, 0, 1 << 30), -1); // within a larger budget: wait for it
  assertThrows(() => msgpackEnd(new Uint8Array([0xc1]), 0), SyntaxError, "never used");
});

Deno.test("msgpackEnd() measures nested values and waits for incomplete ones", () => {
  const value = encodeValue([[1700000000, { a: "x".repeat(300) }], { list: [1, 2.5, null, true] }]);
  assertEquals(msgpackEnd(value, 0), value.length);
  for (let cut = 0; cut < value.length; cut++) {
    assertEquals(msgpackEnd(value.subarray(0, cut), 0, 1 << 20), -1);
  }
});
