/**
 * Turning filters and processors into generator stages: tag matching, signal
 * checks, ack release for dropped chunks, and record counts for metrics.
 */
import type { Chunk, Signal } from "../event/chunk.ts";
import { AsyncQueue } from "./async_queue.ts";
import type { PluginLogger, Stage, TransformInstance } from "../plugin.ts";
import type { TagMatcher } from "./router.ts";

/** How a transform is wrapped into a stage. */
export interface TransformStageOptions {
  signals: readonly Signal[];
  /** Filters only see chunks whose tag matches; processors see all. */
  matcher?: TagMatcher;
  log: PluginLogger;
  /** Called with the record counts before and after, per processed chunk. */
  count?: (recordsIn: number, recordsOut: number) => void;
}

/**
 * A stage that applies `t` to the chunks it is meant for and passes the others
 * through. A chunk left with no records is dropped and its ack released; a
 * transform that throws passes the chunk on unchanged, logged once: input is never
 * lost to a faulty step.
 */
export function transformStage(t: TransformInstance, options: TransformStageOptions): Stage {
  const applies = (c: Chunk) =>
    options.signals.includes(c.signal) && (!options.matcher || options.matcher(c.tag));
  if (t.process) {
    const process = t.process;
    return async function* processStage(chunks) {
      for await (const chunk of chunks) {
        if (!applies(chunk)) {
          yield chunk;
          continue;
        }
        const before = chunk.records.length;
        let out: Chunk | null;
        try {
          out = process(chunk);
        } catch (e) {
          options.log.once("error", "process", `failed on a chunk, passing it on: ${String(e)}`);
          out = chunk;
        }
        const after = out ? out.records.length : 0;
        options.count?.(before, after);
        if (!out || after === 0) {
          chunk.ack.release();
          continue;
        }
        yield out;
      }
    };
  }
  if (t.stage) return bypassStage(t.stage, applies, options);
  return (chunks) => chunks;
}

/** Runs `stage` on the chunks `applies` selects, passing the rest straight through. */
function bypassStage(
  stage: Stage,
  applies: (c: Chunk) => boolean,
  options: TransformStageOptions,
): Stage {
  return async function* bypass(chunks) {
    const into = new AsyncQueue<Chunk>();
    const out = new AsyncQueue<Chunk>();
    let pending = 2;
    const finish = () => {
      if (--pending === 0) out.end();
    };
    const feed = (async () => {
      try {
        for await (const c of chunks) {
          if (applies(c)) {
            options.count?.(c.records.length, 0);
            into.push(c);
          } else out.push(c);
        }
      } finally {
        into.end();
        finish();
      }
    })();
    const run = (async () => {
      try {
        for await (const c of stage(into)) {
          options.count?.(0, c.records.length);
          if (c.records.length === 0) c.ack.release();
          else out.push(c);
        }
      } finally {
        finish();
      }
    })();
    yield* out;
    await Promise.all([feed, run]);
  };
}

/** Chains stages left to right. */
export function composeStages(stages: readonly Stage[]): Stage {
  return (chunks) => stages.reduce<AsyncIterable<Chunk>>((src, stage) => stage(src), chunks);
}
