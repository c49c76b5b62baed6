/**
 * The msgpack codec for records on disk (filesystem storage, dead letters) and on
 * the wire (forward protocol): Fluent Bit's v2 events `[[EventTime, metadata], body]`,
 * with EventTime as ext type 0 (fixext8: uint32 BE seconds, uint32 BE nanoseconds).
 *
 * Integers keep their exact value: safe integers decode as numbers, larger int64 and
 * uint64 values as bigint, and both encode as msgpack integers (never as floats).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { EventTime } from "./event_time.ts";
 * import { logRecord } from "./log_record.ts";
 *
 * const bytes = encodeRecords([logRecord({ msg: "hi" }, new EventTime(1, 5))]);
 * const [record] = decodeRecords(bytes);
 * assertEquals(record?.time.nsec, 5);
 * assertEquals(record?.body, { msg: "hi" });
 * ```
 */
import { Decoder, Encoder, ExtensionCodec } from "@msgpack/msgpack";
import { EventTime } from "./event_time.ts";
import { GROUP_END, GROUP_START, type LogRecord, type RecordMap } from "./log_record.ts";

/** The msgpack ext type Fluent Bit and Fluentd use for EventTime. */
export const EVENT_TIME_EXT_TYPE = 0;

const UINT32_LIMIT = 0x1_0000_0000;

/** The 8-byte ext 0 payload of `t`; throws when `t` does not fit two uint32 values. */
export function eventTimeBytes(t: EventTime): Uint8Array {
  if (t.sec < 0 || t.sec >= UINT32_LIMIT) {
    throw new RangeError(
      `Cannot encode EventTime "${t.sec}.${t.nsec}": seconds must fit an unsigned 32-bit integer`,
    );
  }
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, t.sec);
  view.setUint32(4, t.nsec);
  return out;
}

function decodeEventTime(data: Uint8Array): EventTime {
  if (data.byteLength !== 8) {
    throw new RangeError(
      `Cannot decode EventTime: expected an 8-byte ext 0 payload, got ${data.byteLength} bytes`,
    );
  }
  // Big-endian uint32 pairs read byte by byte: a DataView per event cost 5% of a forward
  // input profile.
  const sec = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
  const nsec = ((data[4]! << 24) | (data[5]! << 16) | (data[6]! << 8) | data[7]!) >>> 0;
  if (nsec > 999_999_999) {
    throw new RangeError(`Cannot decode EventTime: nanoseconds out of range, got "${nsec}"`);
  }
  return new EventTime(sec, nsec);
}

/** The extension codec with EventTime registered as ext type 0. */
export const extensionCodec: ExtensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: EVENT_TIME_EXT_TYPE,
  encode: (input: unknown) => input instanceof EventTime ? eventTimeBytes(input) : null,
  decode: decodeEventTime,
});

// The library encodes integers beyond 32 bits as float64 when bigint support is on, and
// decodes every int64/uint64 as bigint. We want exact integers both ways, so these two
// subclasses adjust three internal methods (covered by the byte-level tests).
interface EncoderInternals {
  encodeNumber(n: number): void;
  encodeBigInt64(n: bigint): void;
  clone(): unknown;
  bytes: Uint8Array;
  pos: number;
  ensureBufferSizeToWrite(n: number): void;
  writeStringHeader(byteLength: number): void;
}
interface DecoderInternals {
  view: DataView;
  pos: number;
  clone(): unknown;
}

class IntEncoder extends Encoder {}
class IntDecoder extends Decoder {}

const baseEncodeNumber = (Encoder.prototype as unknown as EncoderInternals).encodeNumber;
const baseEncodeString = (Encoder.prototype as unknown as { encodeString(s: string): void })
  .encodeString;
const textEncoder = new TextEncoder();
Object.assign(IntEncoder.prototype, {
  encodeNumber(this: EncoderInternals, n: number): void {
    if (Number.isSafeInteger(n) && (n >= UINT32_LIMIT || n < -0x8000_0000)) {
      this.encodeBigInt64(BigInt(n));
    } else {
      baseEncodeNumber.call(this, n);
    }
  },
  // Long strings (log lines) are encoded straight into the buffer, and the header fixed
  // afterwards, instead of counting their UTF-8 bytes in JS first: the library's count was
  // a fifth of the CPU of writing chunk files.
  encodeString(this: EncoderInternals, s: string): void {
    if (s.length < 64) return baseEncodeString.call(this, s);
    const max = s.length * 3;
    const reserved = max < 0x100 ? 2 : max < 0x10000 ? 3 : 5;
    this.ensureBufferSizeToWrite(reserved + max);
    const start = this.pos;
    const { written } = textEncoder.encodeInto(s, this.bytes.subarray(start + reserved));
    const header = written < 32 ? 1 : written < 0x100 ? 2 : written < 0x10000 ? 3 : 5;
    if (header !== reserved) {
      this.bytes.copyWithin(start + header, start + reserved, start + reserved + written);
    }
    this.writeStringHeader(written);
    this.pos += written;
  },
  clone(): unknown {
    return newEncoder();
  },
});

function narrow(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(v)
    : v;
}

Object.assign(IntDecoder.prototype, {
  readU64AsBigInt(this: DecoderInternals): number | bigint {
    const v = this.view.getBigUint64(this.pos);
    this.pos += 8;
    return narrow(v);
  },
  readI64AsBigInt(this: DecoderInternals): number | bigint {
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return narrow(v);
  },
  clone(): unknown {
    return newDecoder();
  },
});

function newEncoder(): Encoder {
  return new IntEncoder({ extensionCodec, useBigInt64: true, ignoreUndefined: false });
}

function newDecoder(): Decoder {
  return new IntDecoder({ extensionCodec, useBigInt64: true });
}

const sharedEncoder = newEncoder();
const sharedDecoder = newDecoder();

/** Encodes one value with EventTime and int64 support. */
export function encodeValue(v: unknown): Uint8Array {
  return sharedEncoder.encode(v);
}

/**
 * Decodes one value. Binary values are views into `bytes`, so copy the buffer first
 * if it will be reused.
 */
export function decodeValue(bytes: Uint8Array): unknown {
  return sharedDecoder.decode(bytes);
}

/** Decodes a stream of concatenated values, one at a time. */
export function decodeMulti(bytes: Uint8Array): Iterable<unknown> {
  return newDecoder().decodeMulti(bytes);
}

/** A growable byte buffer for writing many encoded values in a row. */
class ByteSink {
  bytes = new Uint8Array(4096);
  length = 0;

  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  push(chunk: Uint8Array): void {
    this.reserve(chunk.length);
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }
}

/** Writes `n` big-endian at `p`; returns the offset after it. */
function writeUint32(b: Uint8Array, p: number, n: number): number {
  b[p] = n >>> 24;
  b[p + 1] = (n >>> 16) & 0xff;
  b[p + 2] = (n >>> 8) & 0xff;
  b[p + 3] = n & 0xff;
  return p + 4;
}

/**
 * Encodes records as concatenated forward protocol v1 entries `[time, body]`: time as
 * EventTime, or whole seconds with `timeAsInteger`; metadata and group markers are left out.
 * Returns the bytes and how many entries they hold.
 */
export function encodeEntriesV1(
  records: readonly LogRecord[],
  options: { timeAsInteger: boolean },
): { bytes: Uint8Array; count: number } {
  const out = new ByteSink();
  const enc = sharedEncoder;
  let count = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const t = r.time;
    if (t.nsec === 0 && (t.sec === -1 || t.sec === -2)) continue;
    if (t.sec < 0 || t.sec >= UINT32_LIMIT) eventTimeBytes(t); // throws the range error
    out.reserve(11);
    const b = out.bytes;
    let p = out.length;
    b[p++] = 0x92; // fixarray(2): [time, body]
    if (options.timeAsInteger) {
      b[p++] = 0xce; // uint32 seconds
    } else {
      b[p++] = 0xd7; // fixext8
      b[p++] = EVENT_TIME_EXT_TYPE;
    }
    p = writeUint32(b, p, t.sec);
    if (!options.timeAsInteger) p = writeUint32(b, p, t.nsec);
    out.length = p;
    out.push(enc.encodeSharedRef(r.body));
    count++;
  }
  return { bytes: out.bytes.slice(0, out.length), count };
}

/** Options for {@link encodeRecords}. */
export interface EncodeRecordsOptions {
  /**
   * Write the event's two arrays as array32, as Fluent Bit's log event encoder does, so a
   * file or http msgpack output gives Fluent Bit's exact bytes; fixarray otherwise.
   */
  array32?: boolean;
}

/** array32 of length 2: 0xdd and a big-endian 2. */
const ARRAY32_PAIR = [0xdd, 0, 0, 0, 2] as const;

/**
 * Encodes records as concatenated Fluent Bit v2 events `[[EventTime, metadata], body]`;
 * group markers get their integer header time (-1 start, -2 end) as Fluent Bit writes it.
 */
export function encodeRecords(
  records: readonly LogRecord[],
  options: EncodeRecordsOptions = {},
): Uint8Array {
  const out = new ByteSink();
  const enc = sharedEncoder;
  const array32 = options.array32 === true;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const t = r.time;
    out.reserve(20);
    const b = out.bytes;
    let p = out.length;
    if (array32) {
      for (let k = 0; k < 2; k++) for (const x of ARRAY32_PAIR) b[p++] = x;
    } else {
      b[p++] = 0x92; // fixarray(2): [header, body]
      b[p++] = 0x92; // fixarray(2): [time, metadata]
    }
    if (t.nsec === 0 && (t.sec === -1 || t.sec === -2)) {
      b[p++] = t.sec === -1 ? 0xff : 0xfe; // negative fixint
    } else {
      if (t.sec < 0 || t.sec >= UINT32_LIMIT) eventTimeBytes(t); // throws the range error
      b[p++] = 0xd7; // fixext8
      b[p++] = EVENT_TIME_EXT_TYPE;
      p = writeUint32(b, writeUint32(b, p, t.sec), t.nsec);
    }
    out.length = p;
    out.push(isEmpty(r.metadata) ? EMPTY_MAP : enc.encodeSharedRef(r.metadata));
    out.push(enc.encodeSharedRef(r.body));
  }
  return out.bytes.slice(0, out.length);
}

const EMPTY_MAP = new Uint8Array([0x80]);

function isEmpty(m: RecordMap): boolean {
  for (const _ in m) return false;
  return true;
}

function isMap(v: unknown): v is RecordMap {
  return v !== null && typeof v === "object" && !Array.isArray(v) &&
    !(v instanceof Uint8Array) && !(v instanceof EventTime);
}

/** Reads a header or v1 time: EventTime ext, integer or float seconds; -1/-2 are group markers. */
function toEventTime(v: unknown, index: number): EventTime {
  if (v instanceof EventTime) return v;
  if (typeof v === "number") {
    if (v === -1) return GROUP_START;
    if (v === -2) return GROUP_END;
    if (v >= 0 && Number.isFinite(v)) {
      return Number.isInteger(v) ? new EventTime(v, 0) : EventTime.fromSeconds(v);
    }
  }
  if (typeof v === "bigint" && v >= 0n) return new EventTime(Number(v), 0);
  throw new TypeError(
    `Cannot decode record ${index}: expected an EventTime, integer or float time, got ${
      describe(v)
    }`,
  );
}

function describe(v: unknown): string {
  if (v === null) return "nil";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Uint8Array) return "binary";
  return typeof v === "object" ? "a map" : `"${String(v)}"`;
}

/**
 * Decodes concatenated events: v2 `[[time, metadata], body]` and the v1 forms
 * `[time, body]` (time an EventTime ext, integer or float). Group markers (header time
 * -1 or -2) become records timed `GROUP_START` / `GROUP_END`. Throws TypeError on
 * anything else, naming the record's index.
 */
export function decodeRecords(bytes: Uint8Array): LogRecord[] {
  const out: LogRecord[] = [];
  let index = 0;
  for (const item of decodeMulti(bytes)) {
    if (!Array.isArray(item) || item.length !== 2) {
      throw new TypeError(
        `Cannot decode record ${index}: expected an array of 2 items, got ${describe(item)}`,
      );
    }
    const [head, body] = item;
    if (!isMap(body)) {
      throw new TypeError(
        `Cannot decode record ${index}: expected a map body, got ${describe(body)}`,
      );
    }
    if (Array.isArray(head)) {
      if (head.length < 1 || head.length > 2) {
        throw new TypeError(
          `Cannot decode record ${index}: expected a header [time, metadata], got ${
            describe(head)
          }`,
        );
      }
      const meta = head.length === 2 ? head[1] : {};
      if (meta !== null && !isMap(meta)) {
        throw new TypeError(
          `Cannot decode record ${index}: expected a metadata map, got ${describe(meta)}`,
        );
      }
      out.push({ time: toEventTime(head[0], index), metadata: meta ?? {}, body });
    } else {
      out.push({ time: toEventTime(head, index), metadata: {}, body });
    }
    index++;
  }
  return out;
}
