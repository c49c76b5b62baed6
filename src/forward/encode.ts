/**
 * Encodes forward messages as Fluent Bit's out_forward writes them: Forward mode
 * `[tag, [entries], options?]` by default, CompressedPackedForward `[tag, bin(gzip), options]`
 * with compression, Message mode `[tag, time, record, options]` for per-record tags, and
 * metrics/traces as `[tag, bin(cmetrics|ctraces), {fluent_signal}]` (with `fluentd_compat`, as
 * one Forward-mode event `[tag, [[now, [cmetrics|ctraces map]]], options]`). The option map keeps
 * Fluent Bit's key order: chunk, size, compressed, fluent_signal, extra options, metadata.
 */
import { Buffer } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import { isGroupMarker, type LogRecord, type RecordMap } from "../event/log_record.ts";
import { encodeEntriesV1, encodeRecords } from "../event/msgpack.ts";
import type { MetricRecord } from "../event/metric.ts";
import type { Span } from "../event/span.ts";
import { encodeCmetrics } from "./cmetrics_encode.ts";
import { encodeCtraces } from "./ctraces.ts";
import { EventTime } from "../event/event_time.ts";
import { msgpackEnd } from "../net/stream/msgpack_scan.ts";
import { gzip } from "./gzip.ts";
import { MpWriter } from "./mp_writer.ts";

/** How out_forward shapes its messages (its option names in camelCase). */
export interface ForwardEncoding {
  /** `compress gzip`: CompressedPackedForward. */
  compress: boolean;
  /** `send_options`: always append the option map. */
  sendOptions: boolean;
  /** `require_ack_response`: add a `chunk` id the server must ack. */
  requireAck: boolean;
  /** `time_as_integer`: whole seconds instead of EventTime (drops nanoseconds). */
  timeAsInteger: boolean;
  /** `retain_metadata_in_forward_mode`: send v2 entries `[[time, metadata], record]`. */
  retainMetadata: boolean;
  /** `add_option` pairs, appended to the option map. */
  extraOptions: readonly (readonly [string, string])[];
  /**
   * `fluentd_compat`: metrics and traces as one Forward-mode event `[now, [payload maps]]`
   * instead of a bin payload (not with `compress`, as in Fluent Bit).
   */
  fluentdCompat: boolean;
}

/** The default out_forward shaping: Forward mode, no options. */
export const DEFAULT_ENCODING: ForwardEncoding = {
  compress: false,
  sendOptions: false,
  requireAck: false,
  timeAsInteger: false,
  retainMetadata: false,
  extraOptions: [],
  fluentdCompat: false,
};

/** One message ready to write, and the chunk id its ack must echo (null when none). */
export interface EncodedForward {
  /** The whole message. */
  bytes: Uint8Array;
  /** The `chunk` option sent; null without require_ack_response. */
  chunk: string | null;
  /** Items that could not be represented and were left out (metrics only). */
  skipped: number;
}

/**
 * out_forward's chunk id: base64 of the first 16 bytes of SHA-512 over the entry bytes.
 *
 * @example
 * ```ts
 * chunkId(new Uint8Array([0x92, 0xd7, 0x00, 0x65, 0x53, 0xf1, 0x00, 0, 0, 0, 0, 0x81, 0xa1, 0x6b, 0xa1, 0x76]));
 * // "zs9lharH27Q7ASh+HBN43g=="
 * ```
 */
export function chunkId(entries: Uint8Array): string {
  const digest = createHash("sha512").update(entries).digest();
  return Buffer.from(digest.subarray(0, 16)).toString("base64");
}

/** A random chunk id in the same 24-character form, for Message mode. */
export function randomChunkId(): string {
  return Buffer.from(randomBytes(16)).toString("base64");
}

function entryBytes(records: readonly LogRecord[], enc: ForwardEncoding): [Uint8Array, number] {
  if (!enc.retainMetadata || enc.timeAsInteger) {
    const { bytes, count } = encodeEntriesV1(records, { timeAsInteger: enc.timeAsInteger });
    return [bytes, count];
  }
  const kept = records.filter((r) => !isGroupMarker(r));
  return [encodeRecords(kept), kept.length];
}

function writeOptions(
  w: MpWriter,
  enc: ForwardEncoding,
  fields: { chunk: string | null; size: number | null; signal: number; metadata?: RecordMap },
): void {
  const pairs: [string, (w: MpWriter) => void][] = [];
  if (fields.chunk !== null) pairs.push(["chunk", (w) => w.str(fields.chunk!)]);
  if (fields.size !== null) pairs.push(["size", (w) => w.uint(fields.size!)]);
  if (enc.compress && !enc.timeAsInteger) pairs.push(["compressed", (w) => w.str("gzip")]);
  pairs.push(["fluent_signal", (w) => w.uint(fields.signal)]);
  for (const [k, v] of enc.extraOptions) pairs.push([k, (w) => w.str(v)]);
  const meta = fields.metadata;
  if (meta && Object.keys(meta).length > 0) pairs.push(["metadata", (w) => w.value(meta)]);
  w.map(pairs.length);
  for (const [k, write] of pairs) write(w.str(k));
}

/**
 * Log records as one Forward-mode (or, compressed, CompressedPackedForward) message.
 *
 * @example
 * ```ts
 * import { logRecord } from "../event/log_record.ts";
 *
 * const { bytes } = encodeForwardLogs("app", [logRecord({ msg: "hi" })], DEFAULT_ENCODING);
 * ```
 */
export function encodeForwardLogs(
  tag: string,
  records: readonly LogRecord[],
  enc: ForwardEncoding,
): EncodedForward {
  const [entries, count] = entryBytes(records, enc);
  const withOptions = enc.sendOptions || enc.requireAck || enc.compress;
  const chunk = enc.requireAck ? chunkId(entries) : null;
  const w = new MpWriter();
  w.array(withOptions ? 3 : 2).str(tag);
  if (enc.compress && !enc.timeAsInteger) w.bin(gzip(entries));
  else w.array(count).raw(entries);
  if (withOptions) writeOptions(w, enc, { chunk, size: count, signal: 0 });
  return { bytes: w.bytes(), chunk, skipped: 0 };
}

/**
 * One record as a Message-mode message `[tag, time, record, options]`, the form out_forward
 * uses when the tag is computed per record; the options always carry `fluent_signal` 0 and
 * the record's metadata when it has any, plus a unique chunk id with require_ack_response.
 */
export function encodeForwardMessage(
  tag: string,
  record: LogRecord,
  enc: ForwardEncoding,
): EncodedForward {
  const chunk = enc.requireAck ? randomChunkId() : null;
  const w = new MpWriter();
  w.array(4).str(tag);
  if (enc.timeAsInteger) w.uint(record.time.sec);
  else w.value(record.time);
  w.value(record.body);
  writeOptions(w, { ...enc, compress: false }, {
    chunk,
    size: null,
    signal: 0,
    metadata: record.metadata,
  });
  return { bytes: w.bytes(), chunk, skipped: 0 };
}

function countValues(bytes: Uint8Array): number {
  let n = 0;
  for (let at = 0; at >= 0 && at < bytes.length; n++) at = msgpackEnd(bytes, at);
  return n;
}

function encodeSignal(
  tag: string,
  payload: Uint8Array,
  signal: number,
  enc: ForwardEncoding,
): Omit<EncodedForward, "skipped"> {
  const chunk = enc.requireAck ? chunkId(payload) : null;
  const w = new MpWriter();
  w.array(3).str(tag);
  if (enc.compress) w.bin(gzip(payload));
  else if (enc.fluentdCompat) {
    // Fluent Bit's pack_metricses_payload: [[now, [each msgpack object of the payload]]].
    w.array(1).array(2).value(EventTime.now()).array(countValues(payload)).raw(payload);
  } else w.bin(payload);
  writeOptions(w, { ...enc, timeAsInteger: false }, { chunk, size: null, signal });
  return { bytes: w.bytes(), chunk };
}

/**
 * Metrics as `[tag, bin(cmetrics), {fluent_signal: 1}]` (or, with `fluentdCompat`, the
 * cmetrics map inside one Forward-mode event); `skipped` counts what cmetrics cannot hold.
 */
export function encodeForwardMetrics(
  tag: string,
  metrics: readonly MetricRecord[],
  enc: ForwardEncoding,
): EncodedForward {
  const { bytes, skipped } = encodeCmetrics(metrics);
  return { ...encodeSignal(tag, bytes, 1, enc), skipped };
}

/** Spans as `[tag, bin(ctraces), {fluent_signal: 2}]` (or, with `fluentdCompat`, as one event). */
export function encodeForwardSpans(
  tag: string,
  spans: readonly Span[],
  enc: ForwardEncoding,
): EncodedForward {
  return { ...encodeSignal(tag, encodeCtraces(spans), 2, enc), skipped: 0 };
}

/** The server's answer to a `chunk` option: `{"ack": chunk}`. */
export function encodeAck(chunk: string): Uint8Array {
  return new MpWriter().map(1).str("ack").str(chunk).bytes();
}

/** The chunk id in an ack message, or null when `value` is not `{"ack": string}`. */
export function ackOf(value: unknown): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const ack = (value as Record<string, unknown>).ack;
  return typeof ack === "string" ? ack : null;
}
