/**
 * NATS message payloads. Logs as Fluent Bit's `out_nats` writes them: a JSON array of
 * `[time, {"tag": TAG, ...body}]` pairs, the time a double, metadata left out. Spans and
 * metrics (which Fluent Bit does not publish) as OTLP protobuf export requests, marked by
 * headers. A chunk becomes as many messages as it takes to stay under the server's
 * `max_payload`, cut at the same records every time, so a retry publishes the same messages.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { formatTimeDouble, jsonValue } from "../../../src/event/json_value.ts";
import { encodeJsonText } from "../../../src/event/json_text.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import type { MetricRecord } from "../../../src/event/metric.ts";
import type { Span } from "../../../src/event/span.ts";
import { encodeMetrics, encodeTraces } from "../../../src/otlp/mod.ts";

/** The header naming a non-log message's signal (its payload is OTLP protobuf). */
export const SIGNAL_HEADER = "Sluice-Signal";

/** One message to publish. */
export interface NatsMessage {
  /** The payload bytes. */
  payload: Uint8Array;
  /** `traces` or `metrics` for OTLP payloads; undefined for Fluent Bit's log JSON. */
  signal?: "traces" | "metrics";
}

/** What a chunk encodes to: its messages and the records too large for any message. */
export interface EncodedChunk {
  /** The messages, in record order. */
  messages: NatsMessage[];
  /** Records alone larger than the limit, left out. */
  oversized: number;
}

/** How payloads are written. */
export interface PayloadOptions {
  /** Largest payload a message may have, bytes. */
  maxBytes: number;
  /** `json.escape_unicode`: non-ASCII as `\uXXXX` (Fluent Bit's default). */
  escapeUnicode: boolean;
}

/**
 * `records` of `chunk` (its own, or one partition's) as messages.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { EventTime } from "../../../src/event/event_time.ts";
 * import { logChunk } from "../../../src/testing/filter_context.ts";
 *
 * const chunk = logChunk([{ m: "x" }, { n: 2 }], "app");
 * chunk.records[0]!.time = new EventTime(1700000000, 500_000_000);
 * chunk.records[1]!.time = new EventTime(1700000001, 0);
 * const { messages } = encodeChunk(chunk, chunk.records, { maxBytes: 1 << 20, escapeUnicode: true });
 * assertEquals(
 *   new TextDecoder().decode(messages[0]!.payload),
 *   '[[1700000000.5,{"tag":"app","m":"x"}],[1700000001.0,{"tag":"app","n":2}]]',
 * );
 * ```
 */
export function encodeChunk(
  chunk: Chunk,
  records: Chunk["records"],
  options: PayloadOptions,
): EncodedChunk {
  switch (chunk.signal) {
    case "logs":
      return encodeLogs(chunk.tag, records as LogRecord[], options);
    case "traces":
      return splitEncode(records as Span[], "traces", (r) => encodeTraces(r, "protobuf"), options);
    case "metrics":
      return splitEncode(
        records as MetricRecord[],
        "metrics",
        (r) => encodeMetrics(r, "protobuf"),
        options,
      );
  }
}

function encodeLogs(tag: string, records: LogRecord[], options: PayloadOptions): EncodedChunk {
  const head = `,{"tag":${jsonValue(tag)}`;
  // Escaped JSON is ASCII, one byte a character; otherwise allow for 3 bytes each.
  const perChar = options.escapeUnicode ? 1 : 3;
  const messages: NatsMessage[] = [];
  let oversized = 0;
  let parts: string[] = [];
  let size = 2;
  const flush = () => {
    if (parts.length === 0) return;
    const text = "[" + parts.join(",") + "]";
    messages.push({ payload: encodeJsonText(text, options.escapeUnicode) });
    parts = [];
    size = 2;
  };
  for (const r of records) {
    if (isGroupMarker(r)) continue;
    const body = jsonValue(r.body);
    const text = "[" + formatTimeDouble(r.time.sec, r.time.nsec) + head +
      (body.length > 2 ? "," + body.slice(1) : "}") + "]";
    const bytes = (text.length + 1) * perChar;
    if (bytes + 2 > options.maxBytes) {
      oversized++;
      continue;
    }
    if (size + bytes > options.maxBytes) flush();
    parts.push(text);
    size += bytes;
  }
  flush();
  return { messages, oversized };
}

/** Encodes `records` whole, or in halves (recursively) while a half is too large. */
function splitEncode<R>(
  records: R[],
  signal: "traces" | "metrics",
  encode: (records: R[]) => Uint8Array,
  options: PayloadOptions,
): EncodedChunk {
  const out: EncodedChunk = { messages: [], oversized: 0 };
  const go = (rs: R[]) => {
    if (rs.length === 0) return;
    const payload = encode(rs);
    if (payload.length <= options.maxBytes) {
      out.messages.push({ payload, signal });
    } else if (rs.length === 1) {
      out.oversized++;
    } else {
      const mid = Math.ceil(rs.length / 2);
      go(rs.slice(0, mid));
      go(rs.slice(mid));
    }
  };
  go(records);
  return out;
}
