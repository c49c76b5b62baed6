/**
 * `ProtoWriter`: a protobuf writer with the subset of `@bufbuild/protobuf`'s BinaryWriter
 * API the OTLP encoders use, writing straight into one growable byte buffer. A nested
 * message reserves room for its length prefix (as many bytes as the last message at the
 * same depth needed) and `join` fills it in, moving the body only when the guess was
 * wrong, so there are no per-message chunk lists or copies. Output is byte-identical to
 * BinaryWriter's.
 */

const utf8 = new TextEncoder();

/** Bytes a varint of the unsigned 32-bit `n` takes. */
function varintSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  return 5;
}

/** A protobuf writer into one reusable buffer (see the module comment). */
export class ProtoWriter {
  private buf: Uint8Array;
  private dv: DataView;
  private pos = 0;
  /** Start of each open fork's length prefix. */
  private readonly starts: number[] = [];
  /** Bytes reserved for each open fork's length prefix. */
  private readonly reserved: number[] = [];
  /** Per depth, the prefix size the last joined message needed. */
  private readonly guess: number[] = [];
  private depth = 0;

  constructor(initial = 64 * 1024) {
    this.buf = new Uint8Array(initial);
    this.dv = new DataView(this.buf.buffer);
  }

  /** Bytes the buffer holds now (its capacity). */
  get capacity(): number {
    return this.buf.length;
  }

  private ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  /** Returns a copy of the bytes written and resets the writer for reuse. */
  finish(): Uint8Array {
    if (this.depth !== 0) throw new Error("invalid state, fork stack not empty");
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }

  /** Forgets everything written (after an error midway). */
  reset(): void {
    this.pos = 0;
    this.depth = 0;
  }

  /** Starts a length-delimited nested message; `join` ends it. */
  fork(): this {
    const d = this.depth++;
    const r = this.guess[d] ?? 1;
    this.ensure(r);
    this.starts[d] = this.pos;
    this.reserved[d] = r;
    this.pos += r;
    return this;
  }

  /** Ends the innermost nested message, writing its length prefix. */
  join(): this {
    if (this.depth === 0) throw new Error("invalid state, fork stack empty");
    const d = --this.depth;
    const start = this.starts[d]!;
    const r = this.reserved[d]!;
    const bodyStart = start + r;
    const len = this.pos - bodyStart;
    const size = varintSize(len);
    this.guess[d] = size;
    if (size !== r) {
      if (size > r) this.ensure(size - r);
      this.buf.copyWithin(start + size, bodyStart, this.pos);
      this.pos += size - r;
    }
    this.writeVarint32At(start, len);
    return this;
  }

  private writeVarint32At(at: number, v: number): void {
    const buf = this.buf;
    while (v > 0x7f) {
      buf[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[at] = v;
  }

  /** Writes a field tag. */
  tag(fieldNo: number, type: number): this {
    return this.uint32(((fieldNo << 3) | type) >>> 0);
  }

  /** Writes an unsigned 32-bit varint. */
  uint32(v: number): this {
    this.ensure(5);
    const buf = this.buf;
    let p = this.pos;
    v >>>= 0;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
    return this;
  }

  /** Writes a signed 32-bit varint (negative values take ten bytes). */
  int32(v: number): this {
    v |= 0;
    if (v >= 0) return this.uint32(v);
    return this.varint64(v >>> 0, 0xffffffff);
  }

  /** Writes a zig-zag signed 32-bit varint. */
  sint32(v: number): this {
    return this.uint32(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Writes a bool varint. */
  bool(v: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }

  /** Writes a signed 64-bit varint. */
  int64(v: number | bigint): this {
    if (typeof v === "number") {
      if (v >= 0 && v <= 0xffffffff) return this.uint32(v);
      v = BigInt(v);
    }
    const u = BigInt.asUintN(64, v);
    return this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  /** Writes an unsigned 64-bit varint. */
  uint64(v: number | bigint): this {
    if (typeof v === "number" && v >= 0 && v <= 0xffffffff) return this.uint32(v);
    const u = BigInt.asUintN(64, BigInt(v));
    return this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  private varint64(lo: number, hi: number): this {
    this.ensure(10);
    const buf = this.buf;
    let p = this.pos;
    while (hi > 0 || lo > 0x7f) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[p++] = lo;
    this.pos = p;
    return this;
  }

  /** Writes a little-endian fixed32. */
  fixed32(v: number): this {
    this.ensure(4);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = v;
    buf[p + 1] = v >>> 8;
    buf[p + 2] = v >>> 16;
    buf[p + 3] = v >>> 24;
    this.pos = p + 4;
    return this;
  }

  /** Writes a little-endian fixed64 (unsigned). */
  fixed64(v: number | bigint): this {
    this.ensure(8);
    this.dv.setBigUint64(this.pos, typeof v === "bigint" ? v : BigInt(v), true);
    this.pos += 8;
    return this;
  }

  /** Writes a little-endian sfixed64. */
  sfixed64(v: number | bigint): this {
    return this.fixed64(v);
  }

  /** Writes a little-endian double. */
  double(v: number): this {
    this.ensure(8);
    this.dv.setFloat64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  /** Writes a length-prefixed byte string. */
  bytes(v: Uint8Array): this {
    const n = v.length;
    this.uint32(n);
    this.ensure(n);
    const buf = this.buf;
    const p = this.pos;
    if (n <= 32) { for (let i = 0; i < n; i++) buf[p + i] = v[i]!; }
    else buf.set(v, p);
    this.pos = p + n;
    return this;
  }

  /** Writes a length-prefixed UTF-8 string. */
  string(v: string): this {
    const n = v.length;
    const prefix = varintSize(n);
    // Worst case: 3 bytes per UTF-16 unit, and a prefix one byte longer.
    this.ensure(prefix + 1 + n * 3);
    const buf = this.buf;
    const start = this.pos;
    let p = start + prefix;
    let ascii = true;
    if (n <= 64) {
      for (let i = 0; i < n; i++) {
        const c = v.charCodeAt(i);
        if (c > 0x7f) {
          ascii = false;
          break;
        }
        buf[p + i] = c;
      }
    } else ascii = false;
    let len = n;
    if (!ascii) {
      len = utf8.encodeInto(v, buf.subarray(p)).written;
      const size = varintSize(len);
      if (size !== prefix) {
        buf.copyWithin(start + size, p, p + len);
        p = start + size;
      }
    }
    this.writeVarint32At(start, len);
    this.pos = p + len;
    return this;
  }
}
