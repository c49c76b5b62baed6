/**
 * Decodes one Forward protocol v1 message (Message, Forward, PackedForward and
 * CompressedPackedForward modes) into sluice's records, metrics or spans, with Fluent Bit's
 * extensions: v2 entries `[[time, metadata], record]`, the `fluent_signal` option (cmetrics or
 * ctraces msgpack payloads) and Message mode's `metadata` option. Malformed input throws a
 * ForwardError with a reason; an entry that is malformed inside an otherwise good message is
 * skipped and counted in `rejected`, as Fluent Bit keeps the rest of such a message and acks it.
 */
import type { LogRecord, RecordMap } from "../event/log_record.ts";
import type { MetricRecord } from "../event/metric.ts";
import { decodeMulti, decodeValue } from "../event/msgpack.ts";
import type { Span } from "../event/span.ts";
import { decodeCmetrics } from "./cmetrics.ts";
import { decodeCtraces } from "./ctraces.ts";
import { entryRecord, entryTime, GROUP_MARKER, isMap } from "./entries.ts";
import { describeValue, ForwardError, framingError } from "./errors.ts";
import { gunzip, isGzip } from "./gzip.ts";
import { msgpackEnd } from "../net/stream/msgpack_scan.ts";

/** The signal a message carries (`fluent_signal` 0, 1, 2). */
export type ForwardSignal = "logs" | "metrics" | "traces";

/** The forward protocol mode a message was sent in. */
export type ForwardMode = "message" | "forward" | "packed" | "compressed";

/** One decoded forward message. */
export interface ForwardMessage {
  /** The tag as sent. */
  tag: string;
  /** How it was sent. */
  mode: ForwardMode;
  /** Which signal it carries. */
  signal: ForwardSignal;
  /** The log records (logs). */
  records: LogRecord[];
  /** The metrics (`fluent_signal` 1). */
  metrics: MetricRecord[];
  /** The spans (`fluent_signal` 2). */
  spans: Span[];
  /** The `chunk` option exactly as received, to echo in the ack; undefined when none. */
  chunk: string | undefined;
  /** Entries skipped because they were malformed. */
  rejected: number;
  /** Why the first skipped entry was skipped; "" when none was. */
  rejectReason: string;
  /** Bytes of the entries or payload as decoded (decompressed size for compressed modes). */
  bytes: number;
}

/** Limits for {@link decodeForwardMessage}. */
export interface DecodeOptions {
  /** The most bytes a compressed payload may expand to. */
  maxDecompressedBytes: number;
}

/** A budget for buffers that are complete: a value running past their end is truncated. */
const WHOLE = Number.MAX_SAFE_INTEGER;

const SIGNALS: readonly ForwardSignal[] = ["logs", "metrics", "traces"];

function fail(reason: ConstructorParameters<typeof ForwardError>[0], detail: string): never {
  throw new ForwardError(reason, `Cannot decode forward message: ${detail}`);
}

function readOptions(v: unknown): RecordMap | null {
  if (v === undefined || v === null) return null;
  if (!isMap(v)) fail("bad_option", `expected an option map, got ${describeValue(v)}`);
  const chunk = v.chunk;
  if (chunk !== undefined && typeof chunk !== "string") {
    fail("bad_option", `expected a string "chunk" option, got ${describeValue(chunk)}`);
  }
  return v;
}

function readSignal(options: RecordMap | null): ForwardSignal {
  const s = options?.fluent_signal;
  if (s === undefined) return "logs";
  if (typeof s !== "number" || !Number.isInteger(s) || SIGNALS[s] === undefined) {
    fail("bad_signal", `expected "fluent_signal" 0, 1 or 2, got ${describeValue(s)}`);
  }
  return SIGNALS[s]!;
}

function emptyMessage(tag: string, mode: ForwardMode, options: RecordMap | null): ForwardMessage {
  return {
    tag,
    mode,
    signal: "logs",
    records: [],
    metrics: [],
    spans: [],
    chunk: options?.chunk as string | undefined,
    rejected: 0,
    rejectReason: "",
    bytes: 0,
  };
}

function addEntry(msg: ForwardMessage, entry: unknown): void {
  const r = entryRecord(entry);
  if (r === GROUP_MARKER) return;
  if (typeof r === "string") {
    if (msg.rejected++ === 0) msg.rejectReason = r;
    return;
  }
  msg.records.push(r);
}

/** msgpackEnd() with its errors as ForwardError ("too_large", "bad_msgpack"). */
function measure(b: Uint8Array, pos: number, budget: number): number {
  try {
    return msgpackEnd(b, pos, budget);
  } catch (e) {
    throw framingError(e) ?? e;
  }
}

/** Splits a packed entry stream and decodes each entry; a bad entry is counted, not fatal. */
function addPackedEntries(msg: ForwardMessage, data: Uint8Array): void {
  // Measure first: a truncated stream or a hostile length is refused before decoding.
  let end = 0;
  let count = 0;
  while (end < data.length) {
    const next = measure(data, end, WHOLE);
    if (next < 0) fail("truncated", `the packed entries end inside entry ${count}`);
    end = next;
    count++;
  }
  try {
    for (const entry of decodeMulti(data)) addEntry(msg, entry);
    return;
  } catch {
    // An entry the codec refuses (an EventTime of the wrong size): redo one at a time.
    msg.records.length = 0;
    msg.rejected = 0;
  }
  let at = 0;
  while (at < data.length) {
    const next = measure(data, at, WHOLE);
    let entry: unknown;
    try {
      entry = decodeValue(data.subarray(at, next));
    } catch (e) {
      if (msg.rejected++ === 0) msg.rejectReason = (e as Error).message;
      at = next;
      continue;
    }
    addEntry(msg, entry);
    at = next;
  }
}

function decodePacked(
  tag: string,
  payload: Uint8Array,
  optionsValue: unknown,
  limits: DecodeOptions,
): ForwardMessage {
  const options = readOptions(optionsValue);
  const signal = readSignal(options);
  const compressed = options?.compressed;
  let data = payload;
  let mode: ForwardMode = "packed";
  if (compressed === "zstd") fail("bad_payload", `"compressed": "zstd" is not supported`);
  if (compressed === "gzip" || isGzip(payload)) {
    data = gunzip(payload, { maxBytes: limits.maxDecompressedBytes });
    mode = "compressed";
  }
  const msg = emptyMessage(tag, mode, options);
  msg.signal = signal;
  msg.bytes = data.length;
  if (signal === "logs") addPackedEntries(msg, data);
  else if (signal === "metrics") msg.metrics = decodeCmetrics(data);
  else msg.spans = decodeCtraces(data);
  return msg;
}

/**
 * Decodes one forward message from its decoded msgpack value.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const m = decodeForwardMessage(["app", 1700000000, { msg: "hi" }], { maxDecompressedBytes: 1e6 });
 * assertEquals(m.mode, "message");
 * assertEquals(m.records.map((r) => r.body), [{ msg: "hi" }]);
 * ```
 */
export function decodeForwardMessage(value: unknown, limits: DecodeOptions): ForwardMessage {
  if (!Array.isArray(value)) fail("not_array", `expected an array, got ${describeValue(value)}`);
  if (value.length < 2) fail("bad_mode", `expected 2 to 4 items, got ${value.length}`);
  const tag = value[0];
  if (typeof tag !== "string") fail("bad_tag", `expected a string tag, got ${describeValue(tag)}`);
  const second = value[1];
  if (Array.isArray(second)) {
    const msg = emptyMessage(tag, "forward", readOptions(value[2]));
    for (const entry of second) addEntry(msg, entry);
    return msg;
  }
  if (typeof second === "string" || second instanceof Uint8Array) {
    const payload = typeof second === "string" ? new TextEncoder().encode(second) : second;
    return decodePacked(tag, payload, value[2], limits);
  }
  if (value.length < 3) fail("bad_mode", "Message mode needs [tag, time, record]");
  const time = entryTime(second);
  if (typeof time === "string") fail("bad_time", time);
  const body = value[2];
  if (!isMap(body)) fail("bad_record", `expected a map record, got ${describeValue(body)}`);
  const options = readOptions(value[3]);
  const meta = options?.metadata;
  const msg = emptyMessage(tag, "message", options);
  msg.records.push({ time, metadata: isMap(meta) ? meta : {}, body });
  return msg;
}

/**
 * The raw bytes of item 1 when it is a msgpack str (PackedForward as old Fluentd sends it),
 * which a UTF-8 decode would corrupt; null otherwise.
 */
function rawStrPayload(b: Uint8Array): Uint8Array | null {
  const t = b[0]!;
  const first = t >= 0x90 && t <= 0x9f ? 1 : t === 0xdc ? 3 : t === 0xdd ? 5 : -1;
  if (first < 0) return null;
  const at = measure(b, first, WHOLE);
  if (at < 0 || at >= b.length) return null;
  const s = b[at]!;
  let head: number;
  let len: number;
  if (s >= 0xa0 && s <= 0xbf) [head, len] = [1, s & 0x1f];
  else if (s === 0xd9) [head, len] = [2, b[at + 1]!];
  else if (s === 0xda) [head, len] = [3, (b[at + 1]! << 8) | b[at + 2]!];
  else if (s === 0xdb) {
    head = 5;
    len = new DataView(b.buffer, b.byteOffset + at + 1, 4).getUint32(0);
  } else return null;
  return b.subarray(at + head, at + head + len);
}

/**
 * Decodes one forward message from its bytes (one whole msgpack value, as a framer cuts it).
 * Throws ForwardError: "truncated" when the bytes end early, "bad_msgpack" when they are not
 * msgpack, "too_large" for a declared length the bytes cannot hold, or a shape reason.
 */
export function decodeForwardFrame(bytes: Uint8Array, limits: DecodeOptions): ForwardMessage {
  const end = measure(bytes, 0, WHOLE);
  if (end < 0) fail("truncated", `the message ends after ${bytes.length} bytes`);
  let value: unknown;
  try {
    value = decodeValue(bytes.subarray(0, end));
    const raw = rawStrPayload(bytes.subarray(0, end));
    if (raw && Array.isArray(value)) value[1] = raw;
  } catch (e) {
    const m = (e as Error).message;
    throw new ForwardError(
      m.includes("EventTime") ? "bad_time" : "bad_msgpack",
      `Cannot decode forward message: ${m}`,
      { cause: e },
    );
  }
  const msg = decodeForwardMessage(value, limits);
  if (msg.mode !== "compressed") msg.bytes = end;
  return msg;
}
