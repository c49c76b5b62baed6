/** Lua strings (bytes) as JS text. */
import type { LuaString } from "./fengari.ts";

const decoder = new TextDecoder();

/**
 * Lua bytes as a JS string (invalid UTF-8 becomes U+FFFD).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../../src/testing/assert.ts";
 *
 * assertEquals(luaToString(new TextEncoder().encode("héllo")), "héllo");
 * assertEquals(luaToString(new Uint8Array([0x61, 0xff])), "a\uFFFD");
 * ```
 */
export function luaToString(bytes: LuaString): string {
  const n = bytes.length;
  if (n < 1024) {
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (bytes[i]! > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  return decoder.decode(bytes);
}
