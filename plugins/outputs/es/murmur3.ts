/**
 * MurmurHash3 x64 128-bit (Austin Appleby's public-domain algorithm), as Fluent Bit's es
 * output hashes a document for `generate_id`, and the id text it makes of the hash: the
 * eight little-endian 16-bit words of the two 64-bit halves, as
 * `%04x%04x-%04x-%04x-%04x-%04x%04x%04x`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * // The reference implementation's value for "hello" with seed 0.
 * const [h1, h2] = murmur3x64128(new TextEncoder().encode("hello"), 0);
 * assertEquals(h1.toString(16) + h2.toString(16), "cbd8a7b341bd9b025b1e906a48ae1d19");
 * ```
 */

const MASK = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK;
}

function fmix(k: bigint): bigint {
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK;
  k ^= k >> 33n;
  return k;
}

function mixK1(k1: bigint): bigint {
  k1 = (k1 * C1) & MASK;
  k1 = rotl(k1, 31n);
  return (k1 * C2) & MASK;
}

function mixK2(k2: bigint): bigint {
  k2 = (k2 * C2) & MASK;
  k2 = rotl(k2, 33n);
  return (k2 * C1) & MASK;
}

/** The two 64-bit halves of the hash of `data` with `seed`. */
export function murmur3x64128(data: Uint8Array, seed: number): [bigint, bigint] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const blocks = Math.floor(data.length / 16);
  let h1 = BigInt(seed >>> 0);
  let h2 = h1;
  for (let i = 0; i < blocks; i++) {
    const k1 = view.getBigUint64(i * 16, true);
    const k2 = view.getBigUint64(i * 16 + 8, true);
    h1 ^= mixK1(k1);
    h1 = rotl(h1, 27n);
    h1 = (h1 + h2) & MASK;
    h1 = (h1 * 5n + 0x52dce729n) & MASK;
    h2 ^= mixK2(k2);
    h2 = rotl(h2, 31n);
    h2 = (h2 + h1) & MASK;
    h2 = (h2 * 5n + 0x38495ab5n) & MASK;
  }
  const tail = blocks * 16;
  const rest = data.length & 15;
  let k1 = 0n;
  let k2 = 0n;
  for (let i = rest - 1; i >= 8; i--) k2 |= BigInt(data[tail + i]!) << BigInt((i - 8) * 8);
  for (let i = Math.min(rest, 8) - 1; i >= 0; i--) k1 |= BigInt(data[tail + i]!) << BigInt(i * 8);
  if (rest > 8) h2 ^= mixK2(k2);
  if (rest > 0) h1 ^= mixK1(k1);
  const len = BigInt(data.length);
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  return [h1, h2];
}

const word = (h: bigint, i: number) =>
  Number((h >> BigInt(i * 16)) & 0xffffn).toString(16).padStart(4, "0");

/** The `_id` Fluent Bit's es output gives a document whose msgpack bytes are `data`. */
export function esDocumentId(data: Uint8Array): string {
  const [h1, h2] = murmur3x64128(data, 42);
  return `${word(h1, 0)}${word(h1, 1)}-${word(h1, 2)}-${word(h1, 3)}-${word(h2, 0)}-` +
    `${word(h2, 1)}${word(h2, 2)}${word(h2, 3)}`;
}
