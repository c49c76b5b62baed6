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

function writeInt(out: number[], value: number, prefixBits: number, first: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(first | value);
    return;
  }
  out.push(first | max);
  value -= max;
  while (value >= 128) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

function writeString(out: number[], s: string): void {
  const bytes = te.encode(s);
  writeInt(out, bytes.length, 7, 0);
  for (const b of bytes) out.push(b);
}

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
  const out: number[] = [];
  for (const [name, value] of list) {
    out.push(0);
    writeString(out, name.toLowerCase());
    writeString(out, value);
  }
  return new Uint8Array(out);
}

/** The value of the first field named `name`. */
export function headerValue(list: HeaderList, name: string): string | undefined {
  for (const [n, v] of list) if (n === name) return v;
  return undefined;
}
