/**
 * HPACK (RFC 7541) for sluice's HTTP/2: decoding goes through `hpack.js` (Huffman and the
 * dynamic table), bounded by the header block size the connection accepts; encoding writes
 * every field as a literal without indexing, so the peer's table is never touched and no
 * table state needs keeping on our side.
 */
import hpack from "hpack.js";

/** A header list as decoded: names are lower case, order kept. */
export type HeaderList = Array<[string, string]>;

/** Decodes the header blocks of one connection (its dynamic table lives here). */
export class HeaderDecoder {
  #d = hpack.decompressor.create({ table: { size: 4096 } });

  /** Decodes one whole header block; throws on a malformed block (COMPRESSION_ERROR). */
  decode(block: Uint8Array): HeaderList {
    this.#d.write(block);
    this.#d.execute();
    const out: HeaderList = [];
    let h: { name: string; value: string } | null;
    while ((h = this.#d.read()) !== null) out.push([h.name, h.value]);
    return out;
  }
}

const te = new TextEncoder();

function intLength(value: number, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) return 1;
  let n = 2;
  for (value -= max; value >= 128; value = Math.floor(value / 128)) n++;
  return n;
}

function writeInt(out: Uint8Array, at: number, value: number, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out[at] = value;
    return at + 1;
  }
  out[at++] = max;
  for (value -= max; value >= 128; value = Math.floor(value / 128)) {
    out[at++] = (value & 0x7f) | 0x80;
  }
  out[at] = value;
  return at + 1;
}

/** One field as a literal without indexing, with a literal name (RFC 7541 §6.2.2). */
function encodeField(name: string, value: string): Uint8Array {
  const n = te.encode(name.toLowerCase());
  const v = te.encode(value);
  const out = new Uint8Array(
    1 + intLength(n.length, 7) + n.length + intLength(v.length, 7) + v.length,
  );
  let at = 1; // out[0] = 0: literal without indexing, new name
  at = writeInt(out, at, n.length, 7);
  out.set(n, at);
  at = writeInt(out, at + n.length, v.length, 7);
  out.set(v, at);
  return out;
}

/** Encoded fields that repeat (":status: 200", "content-type: application/grpc", ...). */
const cache = new Map<string, Uint8Array>();
const CACHE_MAX = 512;

/**
 * One header block: each field a literal without indexing and with a literal name.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * const block = encodeHeaders([[":status", "200"]]);
 * assertEquals(new HeaderDecoder().decode(block), [[":status", "200"]]);
 * ```
 */
export function encodeHeaders(list: HeaderList): Uint8Array {
  const fields: Uint8Array[] = [];
  let total = 0;
  for (const [name, value] of list) {
    const key = name + "\n" + value;
    let f = cache.get(key);
    if (f === undefined) {
      f = encodeField(name, value);
      if (cache.size < CACHE_MAX && value.length < 128) cache.set(key, f);
    }
    fields.push(f);
    total += f.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const f of fields) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

/** The value of the first field named `name`. */
export function headerValue(list: HeaderList, name: string): string | undefined {
  for (const [n, v] of list) if (n === name) return v;
  return undefined;
}
