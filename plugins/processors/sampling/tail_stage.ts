/**
 * The tail sampler as a pipeline stage: it races the next upstream chunk against
 * the next decision deadline, so traces are decided on time when input is idle,
 * and decides due traces after every chunk, so a busy input cannot starve the
 * timer. When the upstream ends, every pending trace is decided and passed on.
 */
import { type Clock, realClock, type Stage } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { DeadlineTimer, DUE } from "./deadline_timer.ts";
import type { TailSampler } from "./sampler.ts";

/** Options for {@link tailStage}. */
export interface TailStageOptions {
  clock?: Clock;
}

/**
 * A stage running `sampler` over trace chunks; other signals pass through.
 *
 * @example
 * ```ts
 * import type { Chunk, TraceChunk } from "../../../src/event/chunk.ts";
 * import { StatusCode } from "../../../src/event/span.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { testInputContext } from "../../../src/testing/input_context.ts";
 * import { testSpan } from "../../../src/testing/spans.ts";
 * import { parseConditions } from "./conditions/mod.ts";
 * import { TailSampler } from "./sampler.ts";
 * import { parseSettings } from "./settings.ts";
 *
 * const settings = parseSettings({ decision_wait: "30s" });
 * const conditions = parseConditions([{ type: "status_code", status_codes: ["ERROR"] }]);
 * const stage = tailStage(new TailSampler({ settings, conditions }));
 * const error = { code: StatusCode.ERROR, message: "boom" };
 * const spans = [
 *   testSpan({ traceId: new Uint8Array(16).fill(1), name: "ok" }),
 *   testSpan({ traceId: new Uint8Array(16).fill(2), name: "failed", status: error }),
 * ];
 * const chunk = testInputContext().signalChunk<TraceChunk>("traces", spans);
 * async function* upstream(): AsyncGenerator<Chunk> {
 *   yield chunk;
 * }
 * const names: string[] = [];
 * for await (const out of stage(upstream())) { // the end of upstream decides what waits
 *   if (out.signal === "traces") names.push(...out.records.map((s) => s.name));
 *   out.ack.release();
 * }
 * assertEquals(names, ["failed"]);
 * await chunk.ack.done; // the source settles once the kept chunk did
 * ```
 */
export function tailStage(sampler: TailSampler, options: TailStageOptions = {}): Stage {
  const clock = options.clock ?? realClock;
  return async function* tailSampling(chunks: AsyncIterable<Chunk>): AsyncIterable<Chunk> {
    const it = chunks[Symbol.asyncIterator]();
    const timer = new DeadlineTimer(clock);
    let next: Promise<IteratorResult<Chunk>> | undefined;
    let ended = false;
    try {
      while (true) {
        next ??= it.next();
        const result = await timer.wait(next, sampler.nextDeadline());
        if (result === DUE) {
          yield* sampler.decideDue(clock.now());
          continue;
        }
        next = undefined;
        if (result.done) break;
        const chunk = result.value;
        if (chunk.signal !== "traces") {
          yield chunk;
          continue;
        }
        yield* sampler.ingest(chunk, clock.now());
      }
      ended = true;
      yield* sampler.flush(clock.now());
    } finally {
      timer.cancel();
      if (!ended) {
        // Stopped early: held spans stay unacknowledged, so their input can send them again.
        next?.catch(() => {});
        it.return?.()?.catch(() => {});
      }
    }
  };
}
