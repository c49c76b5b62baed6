import { fail } from "./errors.ts";

/** The zero-length ID every absent trace, span or parent span ID decodes to (shared). */
export const EMPTY_ID: Uint8Array = new Uint8Array(0);

const SLAB_SIZE = 8192;
let slab = new Uint8Array(SLAB_SIZE);
let slabUsed = 0;

/**
 * A zeroed byte array of `len` for an ID. Small ones are views into shared 8 KB slabs:
 * a typed array over an existing buffer costs a tenth of one with its own buffer, and
 * decoders make several IDs per span.
 */
export function allocId(len: number): Uint8Array {
  if (len > 64) return new Uint8Array(len);
  if (slabUsed + len > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed += len;
  return new Uint8Array(slab.buffer, at, len);
}

const HEX_DIGITS = "0123456789abcdef";
const BYTE_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_HEX.push(HEX_DIGITS[i >> 4]! + HEX_DIGITS[i & 15]!);

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[65 + i] = 10 + i;
  NIBBLE[97 + i] = 10 + i;
}

/**
 * A trace or span ID as lower-case hex, the form OTLP/JSON and W3C trace context use.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(hexId(new Uint8Array([0xee, 0xe1])), "eee1");
 * ```
 */
export function hexId(id: Uint8Array): string {
  let out = "";
  for (let i = 0; i < id.length; i++) out += BYTE_HEX[id[i]!];
  return out;
}

/**
 * Parses a hex ID (either case) into bytes of the length given; an empty string is the
 * empty ID. Throws `OtlpDecodeError` at `path` for an odd length or a non-hex character.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const id = idFromHex("EEE19B7EC3C1B174");
 * assertEquals([id.length, id[0]], [8, 0xee]);
 * ```
 */
export function idFromHex(hex: string, path = "id"): Uint8Array {
  const n = hex.length;
  if (n === 0) return EMPTY_ID;
  if (n % 2 !== 0) fail(path, `expected an even number of hex characters, got ${n}`);
  const out = allocId(n >> 1);
  for (let i = 0, j = 0; i < n; i += 2, j++) {
    const a = hex.charCodeAt(i);
    const b = hex.charCodeAt(i + 1);
    const hi = a < 128 ? NIBBLE[a]! : -1;
    const lo = b < 128 ? NIBBLE[b]! : -1;
    if (hi < 0 || lo < 0) {
      const bad = hi < 0 ? hex[i] : hex[i + 1];
      fail(path, `expected hex characters, got ${JSON.stringify(bad)} in ${JSON.stringify(hex)}`);
    }
    out[j] = (hi << 4) | lo;
  }
  return out;
}

/** True when every byte of `id` is zero (the OTLP spec calls such an ID invalid). */
export function isZeroId(id: Uint8Array): boolean {
  for (let i = 0; i < id.length; i++) if (id[i] !== 0) return false;
  return true;
}
