/**
 * Builds the outputs: each plugin instance with its processor chain inside an output
 * runner (queue, batching, workers, retries), its tag matcher, and its side as
 * filesystem storage sees it. Rejected batches go to `onReject`, else to the dead-letter
 * store when there is one.
 */
import { parseLimitSize } from "../../config/common_options.ts";
import type { BuiltOutput } from "../built.ts";
import { OutputRunner, type Rejection } from "../output_runner.ts";
import { signalsOf } from "../../plugin.ts";
import { compileTagMatcher } from "../router.ts";
import type { DeadLetterStore } from "../storage/dead_letter.ts";
import type { FilesystemStorage } from "../storage/filesystem_storage.ts";
import type { StorageOutput } from "../storage/stored_chunk.ts";
import { buildProcessors } from "./processors.ts";
import type { BuildSession } from "./session.ts";

/** Where the outputs' chunks are kept besides memory. */
export interface OutputStores {
  storage?: FilesystemStorage;
  deadLetters?: DeadLetterStore;
}

/** Creates every output of the session's config; a refused one is a problem, not an output. */
export async function buildOutputs(
  session: BuildSession,
  stores: OutputStores,
): Promise<BuiltOutput[]> {
  const { config, deps } = session;
  const { storage, deadLetters } = stores;
  const service = config.service;
  const built: BuiltOutput[] = [];
  const onReject = deps.onReject ?? (deadLetters
    ? (r: Rejection) =>
      deadLetters.write({
        chunk: r.batch.chunk,
        output: r.output,
        reason: r.reason,
        status: r.status,
      })
    : undefined);

  for (const o of config.outputs) {
    const ctx = session.context("output", o.plugin.name, o.name, o.common.log_level);
    const inst = await session.create(
      o,
      `output "${o.name}"`,
      () => o.plugin.create(o.options, ctx),
    );
    const processors = (await buildProcessors(session, o.name, o.processors)).stage;
    if (!inst) continue;
    const workers = o.common.workers ?? o.plugin.defaults?.workers ?? 1;
    const runner = new OutputRunner({
      name: o.name,
      instance: inst,
      processors,
      log: ctx.log,
      metrics: deps.metrics,
      flush: service.flush,
      workers: Math.max(1, workers),
      retryLimit: o.common.retry_limit,
      schedulerBase: service["scheduler.base"],
      schedulerCap: service["scheduler.cap"],
      onReject,
      isPersisted: storage ? (c) => storage.isPersisted(c) : undefined,
    });
    deadLetters?.touch(o.name);
    const hasProcessors = Object.values(o.processors).some((l) => l.length > 0);
    const matcher = compileTagMatcher({ match: o.common.match, matchRegex: o.common.match_regex });
    const storageOutput: StorageOutput = {
      name: o.name,
      enqueue: (c) => runner.enqueue(c),
      evict: (ack) => runner.evict(ack),
      limit: parseLimitSize(o.common["storage.total_limit_size"]),
      hasProcessors,
    };
    storage?.addOutput(storageOutput);
    built.push({
      name: o.name,
      runner,
      matcher,
      signals: signalsOf(o.plugin),
      hasProcessors,
      storage: storageOutput,
    });
  }
  return built;
}
