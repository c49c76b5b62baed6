/**
 * Builds the inputs: each plugin instance with its processor chain, its buffer limit
 * (`mem_buf_limit`, or a default cap), its own stop switch and its input context.
 */
import { BufferLimit } from "../buffer_limit.ts";
import type { BuiltInput } from "../built.ts";
import { makeInputContext } from "../input_context.ts";
import { inputStorageType } from "../storage/setup.ts";
import { buildProcessors } from "./processors.ts";
import type { BuildSession } from "./session.ts";

/**
 * The buffer cap of an input whose `mem_buf_limit` is 0. Fluent Bit leaves such an
 * input unbounded, the top cause of its OOM kills; sluice pauses it at this many
 * in-flight bytes instead, which loses nothing (pull inputs wait, push inputs answer 503),
 * plus what its holding processors declare they may keep back (`maxHeldBytes`).
 */
export const DEFAULT_MEM_BUF_LIMIT = 16_000_000;

/** Creates every input of the session's config; none is started. */
export async function buildInputs(session: BuildSession): Promise<BuiltInput[]> {
  const { config, deps } = session;
  const service = config.service;
  const built: BuiltInput[] = [];
  for (const i of config.inputs) {
    const kept = deps.reuse?.(i);
    if (kept) {
      built.push(kept);
      continue;
    }
    const ctx = session.context("input", i.plugin.name, i.name, i.common.log_level);
    const chained = await buildProcessors(session, i.name, i.processors);
    const limit = new BufferLimit({
      limit: i.common.mem_buf_limit > 0
        ? i.common.mem_buf_limit
        : DEFAULT_MEM_BUF_LIMIT + chained.held,
      log: ctx.log,
      gauge: deps.metrics.gauge(
        "fluentbit_input_ingestion_paused",
        "Is the input paused (1) or not (0).",
      ),
      name: i.name,
    });
    const abort = new AbortController();
    const inputCtx = makeInputContext({ ...ctx, signal: abort.signal }, {
      tag: i.common.tag ?? i.name,
      limit,
      exit: deps.onExit,
    });
    const inst = await session.create(
      i,
      `input "${i.name}"`,
      () => i.plugin.create(i.options, inputCtx),
    );
    const processors = chained.stage;
    if (!inst) continue;
    built.push({
      name: i.name,
      instance: inst,
      processors,
      limit,
      abort,
      routable: i.common.routable,
      storageType: inputStorageType(service, i.common),
    });
  }
  return built;
}
