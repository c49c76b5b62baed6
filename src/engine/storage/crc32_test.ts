import { assertEquals } from "../../testing/assert.ts";
import { crc32 } from "./crc32.ts";

Deno.test("crc32() matches the standard check value and continues from a seed", () => {
  const bytes = new TextEncoder().encode("123456789");
  assertEquals(crc32(bytes), 0xcbf43926);
  assertEquals(crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4))), 0xcbf43926);
  assertEquals(crc32(new Uint8Array()), 0);
});
