/**
 * A small msgpack writer with explicit wire types, for formats whose readers check them
 * (cmetrics wants float64 for values even when they are whole, uint64 for timestamps),
 * where a generic encoder would pick the shortest type.
 */
import { encodeValue } from "../event/msgpack.ts";

const utf8 = new TextEncoder();

/**
 * Appends typed msgpack values to a growable buffer.
 *
 * @example
 * ```ts
 * const w = new MpWriter();
 * w.map(1).str("v").f64(1);
 * w.bytes(); // 81 a1 76 cb 3f f0 00 00 00 00 00 00
 * ```
 */
export class MpWriter {
  #buf = new Uint8Array(1024);
  #view = new DataView(this.#buf.buffer);
  #len = 0;

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  #head(small: number, smallMax: number, codes: [number, number, number], n: number): this {
    this.#reserve(5);
    if (n <= smallMax && small >= 0) this.#buf[this.#len++] = small | n;
    else if (codes[0] !== 0 && n < 0x100) {
      this.#buf[this.#len++] = codes[0];
      this.#buf[this.#len++] = n;
    } else if (n < 0x10000) {
      this.#buf[this.#len++] = codes[1];
      this.#view.setUint16(this.#len, n);
      this.#len += 2;
    } else {
      this.#buf[this.#len++] = codes[2];
      this.#view.setUint32(this.#len, n);
      this.#len += 4;
    }
    return this;
  }

  /** A map header of `n` pairs. */
  map(n: number): this {
    return this.#head(0x80, 15, [0, 0xde, 0xdf], n);
  }

  /** An array header of `n` items. */
  array(n: number): this {
    return this.#head(0x90, 15, [0, 0xdc, 0xdd], n);
  }

  /** A UTF-8 string. */
  str(s: string): this {
    const b = utf8.encode(s);
    this.#head(0xa0, 31, [0xd9, 0xda, 0xdb], b.length);
    return this.raw(b);
  }

  /** A binary value. */
  bin(b: Uint8Array): this {
    this.#head(-1, -1, [0xc4, 0xc5, 0xc6], b.length);
    return this.raw(b);
  }

  /** An unsigned integer (number or bigint) in its shortest form. */
  uint(n: number | bigint): this {
    const v = BigInt(n);
    if (v < 0n) throw new RangeError(`Cannot write msgpack uint: expected n >= 0, got ${v}`);
    this.#reserve(9);
    if (v < 0x80n) this.#buf[this.#len++] = Number(v);
    else if (v < 0x100n) {
      this.#buf[this.#len++] = 0xcc;
      this.#buf[this.#len++] = Number(v);
    } else if (v < 0x10000n) {
      this.#buf[this.#len++] = 0xcd;
      this.#view.setUint16(this.#len, Number(v));
      this.#len += 2;
    } else if (v < 0x1_0000_0000n) {
      this.#buf[this.#len++] = 0xce;
      this.#view.setUint32(this.#len, Number(v));
      this.#len += 4;
    } else {
      this.#buf[this.#len++] = 0xcf;
      this.#view.setBigUint64(this.#len, v);
      this.#len += 8;
    }
    return this;
  }

  /** A signed integer in its shortest form. */
  int(n: number | bigint): this {
    const v = BigInt(n);
    if (v >= 0n) return this.uint(v);
    return this.raw(encodeValue(v >= -0x8000_0000n ? Number(v) : v));
  }

  /** A float64, whatever its value. */
  f64(x: number): this {
    this.#reserve(9);
    this.#buf[this.#len++] = 0xcb;
    this.#view.setFloat64(this.#len, x);
    this.#len += 8;
    return this;
  }

  /** nil. */
  nil(): this {
    return this.raw(new Uint8Array([0xc0]));
  }

  /** A boolean. */
  bool(b: boolean): this {
    return this.raw(new Uint8Array([b ? 0xc3 : 0xc2]));
  }

  /** Any value through the shared codec (maps, arrays, EventTime, ...). */
  value(v: unknown): this {
    return this.raw(encodeValue(v));
  }

  /** Bytes that are already msgpack. */
  raw(b: Uint8Array): this {
    this.#reserve(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
    return this;
  }

  /** The bytes written so far (a copy). */
  bytes(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}
