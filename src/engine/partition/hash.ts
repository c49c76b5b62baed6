/**
 * The 32-bit hashes partitioning is keyed by. They are fixed functions of the key's bytes
 * (FNV-1a folded through murmur3's finalizer), so every agent, on any host and after any
 * restart, sends one trace ID to the same partition. A trace ID written as 32 hex digits
 * (a log record's `trace_id`) hashes as the 16 bytes it spells, so a trace's logs and its
 * spans land together.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * murmur3's 32-bit finalizer: a bijection that spreads every input bit over the output.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * assertEquals(mix32(0), 0);
 * assertEquals(mix32(1) !== mix32(2), true);
 * ```
 */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The hash of a byte string (a span's trace ID).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const id = new Uint8Array([0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
 *   0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36]);
 * assertEquals(hashBytes(id), hashText("4bf92f3577b34da6a3ce929d0e0e4736"));
 * ```
 */
export function hashBytes(bytes: Uint8Array): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, FNV_PRIME);
  }
  return mix32(h);
}

/**
 * The hash of a text key: as the bytes it spells when it is an even run of hex digits of
 * 16 or 32 characters (a span or trace ID), else over its UTF-16 code units.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * assertEquals(hashText("web") === hashText("web"), true);
 * assertEquals(hashText("ABCDEF0123456789") === hashText("abcdef0123456789"), true);
 * ```
 */
export function hashText(text: string): number {
  if ((text.length === 32 || text.length === 16) && isHex(text)) {
    let h = FNV_OFFSET;
    for (let i = 0; i < text.length; i += 2) {
      h ^= (hexDigit(text.charCodeAt(i)) << 4) | hexDigit(text.charCodeAt(i + 1));
      h = Math.imul(h, FNV_PRIME);
    }
    return mix32(h);
  }
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h ^= c & 0xff;
    h = Math.imul(h, FNV_PRIME);
    if (c > 0xff) {
      h ^= c >>> 8;
      h = Math.imul(h, FNV_PRIME);
    }
  }
  return mix32(h);
}

function isHex(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (hexDigit(text.charCodeAt(i)) < 0) return false;
  }
  return true;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
