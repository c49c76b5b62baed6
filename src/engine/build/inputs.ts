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
import type { Logger } from "../log.ts";

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
  const bufferLimit = (limit: number, log: Logger, name: string) =>
    new BufferLimit({
      limit,
      log,
      gauge: deps.metrics.gauge(
        "fluentbit_input_ingestion_paused",
        "Is the input paused (1) or not (0).",
      ),
      name,
      memory: deps.memory,
    });
  for (const i of config.inputs) {
    const kept = deps.reuse?.(i);
    if (kept) {
      built.push(kept);
      continue;
    }
    const ctx = session.context("input", i.plugin.name, i.name, i.common.log_level);
    const chained = await buildProcessors(session, i.name, i.processors);
    const limit = bufferLimit(
      i.common.mem_buf_limit > 0 ? i.common.mem_buf_limit : DEFAULT_MEM_BUF_LIMIT + chained.held,
      ctx.log,
      i.name,
    );
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
  for (const e of session.emitters.emitters) {
    const log = session.context("input", "emitter", e.name).log;
    const { memBufLimit, storageType } = e.options;
    built.push({
      name: e.name,
      instance: { chunks: e.chunks() },
      processors: (chunks) => chunks,
      limit: bufferLimit(memBufLimit > 0 ? memBufLimit : DEFAULT_MEM_BUF_LIMIT, log, e.name),
      abort: new AbortController(),
      routable: true,
      storageType: storageType === "filesystem" && service["storage.path"] !== undefined
        ? "filesystem"
        : "memory",
      emitter: true,
    });
  }
  return built;
}
