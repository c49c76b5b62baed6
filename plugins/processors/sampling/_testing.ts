/**
 * Test helpers for this folder: spans and trace chunks built directly, acks that
 * count their releases, a fake clock, a pushable chunk source, and settings.
 */
import { Ack } from "../../../src/event/ack.ts";
import type { Chunk, TraceChunk } from "../../../src/event/chunk.ts";
import type { Span } from "../../../src/event/span.ts";
import { parseSettings, type SamplingSettings } from "./settings.ts";

export {
  numberedSpanId as spanId,
  numberedTraceId as traceId,
  timedSpan as span,
  type TimedSpanInit as SpanInit,
} from "../../../src/testing/spans.ts";

/** An ack that counts how often its last hold was released (must end at exactly 1). */
export class CountingAck extends Ack {
  settledCount = 0;
  override release(): void {
    const was = this.settled;
    super.release();
    if (!was && this.settled) this.settledCount++;
    else if (was) this.extraReleases++;
  }
  extraReleases = 0;
}

/** A trace chunk of `spans` with a counting ack. */
export function traceChunk(
  spans: Span[],
  options: { tag?: string; input?: string; bytes?: number } = {},
): TraceChunk & { ack: CountingAck } {
  return {
    signal: "traces",
    tag: options.tag ?? "otel",
    input: options.input ?? "opentelemetry.0",
    records: spans,
    bytes: options.bytes ?? spans.length * 200,
    ack: new CountingAck(),
  };
}

/** Tail settings for tests: defaults, overridden by `map` (sampling_settings keys). */
export function tailSettings(map: Record<string, unknown> = {}): SamplingSettings {
  return parseSettings(map);
}

/** The trace IDs (last 4 bytes as numbers) of the spans in `chunks`, unique and sorted. */
export function traceNumbers(chunks: readonly Chunk[]): number[] {
  const set = new Set<number>();
  for (const c of chunks) {
    if (c.signal !== "traces") continue;
    for (const s of c.records) set.add(new DataView(s.traceId.buffer).getUint32(12));
  }
  return [...set].sort((a, b) => a - b);
}

/** Releases every chunk's ack, as an output would after delivering it. */
export function deliver(chunks: readonly Chunk[]): void {
  for (const c of chunks) c.ack.release();
}

/** Lets pending promise callbacks (ack `done` handlers) run. */
export async function settleMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

export { FakeClock } from "../../../src/testing/fake_clock.ts";

export { Channel } from "../../../src/testing/channel.ts";

/** Runs a stage in the background, collecting what it yields; `done` resolves when it ends. */
export function runStage(
  stage: (c: AsyncIterable<Chunk>) => AsyncIterable<Chunk>,
  input: AsyncIterable<Chunk>,
): { out: Chunk[]; done: Promise<void> } {
  const out: Chunk[] = [];
  const done = (async () => {
    for await (const c of stage(input)) out.push(c);
  })();
  return { out, done };
}
