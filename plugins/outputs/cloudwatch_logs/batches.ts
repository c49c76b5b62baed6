/**
 * PutLogEvents batches within the API's limits: events in chronological order, at most
 * 10,000 a call, at most 1,048,576 bytes (each message's UTF-8 size plus 26), and no more
 * than 24 hours between the first and the last.
 */
import type { LogEvent } from "./events.ts";

/** Most events in one PutLogEvents call. */
export const MAX_EVENTS = 10_000;
/** Most bytes in one call, counted as CloudWatch counts them. */
export const MAX_BATCH_BYTES = 1_048_576;
/** Bytes CloudWatch adds to each event's message size. */
export const EVENT_OVERHEAD = 26;
/** Widest time span of one call, ms (must be less). */
export const MAX_SPAN_MS = 24 * 3600_000;

/** Limits of a batch, the API's by default (tests make them small). */
export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
  maxSpanMs: number;
}

/** The API's limits. */
export const API_LIMITS: BatchLimits = {
  maxEvents: MAX_EVENTS,
  maxBytes: MAX_BATCH_BYTES,
  maxSpanMs: MAX_SPAN_MS,
};

/**
 * Splits `events` (of one stream) into batches, each sorted by timestamp (stable: equal
 * times keep their order).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const ev = (timestamp: number, index: number) => ({ timestamp, message: "m", bytes: 1, index });
 * const batches = splitBatches([ev(30, 0), ev(10, 1), ev(20, 2)], {
 *   maxEvents: 2,
 *   maxBytes: 1 << 20,
 *   maxSpanMs: 1000,
 * });
 * assertEquals(batches.map((b) => b.map((e) => e.index)), [[1, 2], [0]]);
 * ```
 */
export function splitBatches(events: readonly LogEvent[], limits = API_LIMITS): LogEvent[][] {
  const sorted = events.map((e, i) => [e, i] as const).sort((a, b) =>
    a[0].timestamp - b[0].timestamp || a[1] - b[1]
  ).map(([e]) => e);
  const out: LogEvent[][] = [];
  let current: LogEvent[] = [];
  let bytes = 0;
  for (const e of sorted) {
    const size = e.bytes + EVENT_OVERHEAD;
    const first = current[0];
    const full = current.length >= limits.maxEvents || bytes + size > limits.maxBytes ||
      (first !== undefined && e.timestamp - first.timestamp >= limits.maxSpanMs);
    if (full && current.length > 0) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The PutLogEvents request body of one batch. */
export function putLogEventsBody(
  group: string,
  stream: string,
  batch: readonly LogEvent[],
): string {
  return JSON.stringify({
    logGroupName: group,
    logStreamName: stream,
    logEvents: batch.map((e) => ({ timestamp: e.timestamp, message: e.message })),
  });
}
