import { assertEquals } from "../testing/assert.ts";
import { EventTime } from "./event_time.ts";
import { formatFixed6, printBinary, printValue } from "./pretty_print.ts";

Deno.test("printValue() writes maps, arrays, nil and floats as msgpack-c prints them", () => {
  assertEquals(
    printValue({ s: 'say "hi"\n', f: 0.25, i: -3, b: false, n: null, a: [1, [2]], m: {} }),
    '{"s"=>"say "hi"\n", "f"=>0.250000, "i"=>-3, "b"=>false, "n"=>nil, "a"=>[1, [2]], "m"=>{}}',
  );
  assertEquals(printValue(2n ** 64n - 1n), "18446744073709551615");
  assertEquals(printValue(undefined), "nil");
});

Deno.test("printValue() writes binary with \\x escapes and EventTime as ext 0", () => {
  assertEquals(printValue(new Uint8Array([0x41, 0x22, 0x00, 0xff])), '"A\\"\\x00\\xff"');
  assertEquals(printBinary(new Uint8Array([0x20, 0x7e, 0x7f])), " ~\\x7f");
  assertEquals(printValue(new EventTime(0x41424344, 0x20)), '(ext: 0)"ABCD\\x00\\x00\\x00 "');
});

Deno.test("formatFixed6() writes %f: six decimals, nan and inf", () => {
  assertEquals(formatFixed6(1.5), "1.500000");
  assertEquals(formatFixed6(1700000000.1234567), "1700000000.123457");
  assertEquals([formatFixed6(NaN), formatFixed6(Infinity), formatFixed6(-Infinity)], [
    "nan",
    "inf",
    "-inf",
  ]);
});
