/**
 * The tail sampler as a pipeline stage: it races the next upstream chunk against
 * the next decision deadline, so traces are decided on time when input is idle,
 * and decides due traces after every chunk, so a busy input cannot starve the
 * timer. When the upstream ends, every pending trace is decided and passed on.
 */
import { type Clock, nextOrTimer, realClock, type Stage, TIMER } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
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
 * const stage = tailStage(new TailSampler({ settings, conditions }));
 * for await (const chunk of stage(chunks)) route(chunk);
 * ```
 */
export function tailStage(sampler: TailSampler, options: TailStageOptions = {}): Stage {
  const clock = options.clock ?? realClock;
  return async function* tailSampling(chunks: AsyncIterable<Chunk>): AsyncIterable<Chunk> {
    const it = chunks[Symbol.asyncIterator]();
    let next: Promise<IteratorResult<Chunk>> | undefined;
    let ended = false;
    try {
      while (true) {
        next ??= it.next();
        const result = await nextOrTimer(next, sampler.nextDeadline(), clock);
        if (result === TIMER) {
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
      if (!ended) {
        // Stopped early: held spans stay unacknowledged, so their input can send them again.
        next?.catch(() => {});
        it.return?.()?.catch(() => {});
      }
    }
  };
}
