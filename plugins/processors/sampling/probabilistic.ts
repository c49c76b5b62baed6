/**
 * Head sampling (`type: probabilistic`), decided span by span from the trace ID
 * alone, so every span of a trace gets the same answer with no state: the first 8
 * bytes of the trace ID read as a big-endian unsigned 64-bit number, taken modulo
 * 1,000,000 and divided by 10,000, must be below `sampling_percentage` (Fluent
 * Bit's formula; not the W3C/OTel consistent-probability algorithm). A trace ID
 * shorter than 16 bytes reads as 0, as in Fluent Bit, so such spans are kept
 * whenever the percentage is above 0.
 */
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import type { Span } from "../../../src/event/span.ts";
import type { SamplingMetrics } from "./metrics.ts";

/** 2^32 mod 1,000,000, to reduce the 64-bit number from two 32-bit halves exactly. */
const TWO_POW_32_MOD = 4_294_967_296 % 1_000_000;

/**
 * Where a trace ID falls in [0, 100): its first 8 bytes (big-endian) mod 1,000,000 / 10,000.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(traceBucket(new Uint8Array(16)), 0);
 * ```
 */
export function traceBucket(id: Uint8Array): number {
  if (!id || id.length < 16) return 0;
  const hi = ((id[0] << 24) | (id[1] << 16) | (id[2] << 8) | id[3]) >>> 0;
  const lo = ((id[4] << 24) | (id[5] << 16) | (id[6] << 8) | id[7]) >>> 0;
  const mod = ((hi % 1_000_000) * TWO_POW_32_MOD + lo) % 1_000_000;
  return mod / 10_000;
}

/** True when a span of this trace is kept at `percentage`. */
export function sampledAt(id: Uint8Array, percentage: number): boolean {
  return traceBucket(id) < percentage;
}

/**
 * The per-chunk step of head sampling: keeps the spans whose trace is sampled.
 * Other signals pass untouched; a chunk left empty is dropped (null).
 */
export function probabilisticStep(
  percentage: number,
  metrics?: SamplingMetrics,
): (chunk: Chunk) => Chunk | null {
  return function probabilistic(chunk: Chunk): Chunk | null {
    if (chunk.signal !== "traces") return chunk;
    const spans = chunk.records;
    let out: Span[] | undefined;
    for (let i = 0; i < spans.length; i++) {
      const keep = sampledAt(spans[i].traceId, percentage);
      if (keep) out?.push(spans[i]);
      else out ??= spans.slice(0, i);
    }
    const kept = out ? out.length : spans.length;
    metrics?.spans(spans.length, kept);
    metrics?.flush();
    if (!out) return chunk;
    return out.length === 0 ? null : withRecords(chunk, out);
  };
}
