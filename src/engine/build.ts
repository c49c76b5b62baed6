/**
 * Creates every plugin instance of a validated config: outputs with their
 * runners, filters and processors as stages, inputs with their contexts.
 * A plugin that refuses its options (SyntaxError, RangeError, TypeError from
 * `create`) is reported as a config problem at its section.
 */
import { errorMessage } from "../error_message.ts";
import type { PipelineConfig, ProcessorChains, ProcessorConfig } from "../config/resolved.ts";
import { ConfigError, type ConfigProblem, type Pos } from "../config/model.ts";
import { parseLimitSize } from "../config/common_options.ts";
import type { Signal } from "../event/chunk.ts";
import type { ParserRegistry } from "../parsers/types.ts";
import { BufferLimit } from "./buffer_limit.ts";
import { makeInputContext } from "./input_context.ts";
import type { Logger, LogLevel } from "./log.ts";
import type { MetricsRegistry } from "./metrics.ts";
import { OutputRunner, type Rejection } from "./output_runner.ts";
import { type InputInstance, type PluginContext, signalsOf, type Stage } from "./plugin.ts";
import { parseRetryLimit } from "./retry.ts";
import { compileTagMatcher, type TagMatcher } from "./router.ts";
import { composeStages, transformStage } from "./stages.ts";
import type { DeadLetterStore } from "./storage/dead_letter.ts";
import type { FilesystemStorage } from "./storage/filesystem_storage.ts";
import { inputStorageType, setupStorage, type StorageType } from "./storage/setup.ts";
import type { StorageOutput } from "./storage/stored_chunk.ts";

/**
 * The buffer cap of an input whose `mem_buf_limit` is 0. Fluent Bit leaves such an
 * input unbounded, the top cause of its OOM kills; sluice pauses it at this many
 * in-flight bytes instead, which loses nothing (pull inputs wait, push inputs answer 503),
 * plus what its holding processors declare they may keep back (`maxHeldBytes`).
 */
export const DEFAULT_MEM_BUF_LIMIT = 16_000_000;

/** What the built pipeline is made of. */
export interface BuiltInput {
  name: string;
  instance: InputInstance;
  processors: Stage;
  limit: BufferLimit;
  abort: AbortController;
  routable: boolean;
  /** Where its chunks are buffered until delivered. */
  storageType: StorageType;
}

/** A built output with its runner. */
export interface BuiltOutput {
  name: string;
  runner: OutputRunner;
  matcher: TagMatcher;
  signals: readonly Signal[];
  hasProcessors: boolean;
  /** The output as filesystem storage sees it. */
  storage: StorageOutput;
}

/** Everything `buildPipeline` creates. */
export interface BuiltPipeline {
  inputs: BuiltInput[];
  filters: { name: string; stage: Stage }[];
  outputs: BuiltOutput[];
  closers: (() => Promise<void>)[];
  /** Filesystem storage, when `storage.path` is set. */
  storage?: FilesystemStorage;
  /** The dead-letter store, when `storage.keep.rejected` is on. */
  deadLetters?: DeadLetterStore;
}

/** Shared services plugins are given. */
export interface BuildDeps {
  log: Logger;
  metrics: MetricsRegistry;
  parsers: ParserRegistry;
  /** Extra context fields (the multiline registry, for instance). */
  context?: Partial<PluginContext>;
  /**
   * Where rejected batches go; defaults to the dead-letter store when
   * `storage.keep.rejected` is on. Resolve false when the records could not be kept.
   */
  onReject?: (rejection: Rejection) => Promise<boolean | void> | boolean | void;
}

/** Creates every instance; throws ConfigError listing every plugin that refused its options. */
export async function buildPipeline(
  config: PipelineConfig,
  deps: BuildDeps,
): Promise<BuiltPipeline> {
  const problems: ConfigProblem[] = [];
  const built: BuiltPipeline = { inputs: [], filters: [], outputs: [], closers: [] };
  const service = config.service;
  const stopAll = new AbortController();
  const { storage, deadLetters } = setupStorage(config, { ...deps, problems });
  built.storage = storage;
  built.deadLetters = deadLetters;
  const onReject = deps.onReject ?? (deadLetters
    ? (r: Rejection) =>
      deadLetters.write({
        chunk: r.batch.chunk,
        output: r.output,
        reason: r.reason,
        status: r.status,
      })
    : undefined);

  const context = (kind: string, plugin: string, name: string, level?: string): PluginContext => ({
    name,
    log: deps.log.child(`${kind}:${plugin}:${name}`, level as LogLevel | undefined),
    metrics: deps.metrics,
    parsers: deps.parsers,
    signal: stopAll.signal,
    flush: service.flush,
    storagePath: service["storage.path"],
    json: {
      escapeUnicode: service["json.escape_unicode"],
      convertNanToNull: service["json.convert_nan_to_null"],
    },
    ...deps.context,
  });

  async function create<T>(
    where: { pos: Pos; keys?: Record<string, Pos> },
    label: string,
    make: () => T | Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await make();
    } catch (e) {
      if (e instanceof SyntaxError || e instanceof RangeError || e instanceof TypeError) {
        // Pin the problem to the first key the message quotes, when the section has it.
        const quoted = [...e.message.matchAll(/"([^"]+)"/g)].map((m) => m[1].toLowerCase());
        const key = quoted.find((k) => where.keys?.[k] !== undefined);
        const pos = key ? where.keys![key] : where.pos;
        problems.push({ pos, key, message: `${label}: ${e.message}` });
        return undefined;
      }
      throw e;
    }
  }

  /** The composed chain and the bytes its holding stages may keep back. */
  async function chain(
    owner: string,
    chains: ProcessorChains,
  ): Promise<{ stage: Stage; held: number }> {
    const stages: Stage[] = [];
    let held = 0;
    for (const signal of ["logs", "metrics", "traces"] as const) {
      for (const p of chains[signal]) {
        const made = await processorStage(owner, signal, p);
        if (!made) continue;
        stages.push(made.stage);
        held += made.held;
      }
    }
    return { stage: composeStages(stages), held };
  }

  async function processorStage(
    owner: string,
    signal: Signal,
    p: ProcessorConfig,
  ): Promise<{ stage: Stage; held: number } | undefined> {
    const ctx = context("processor", p.plugin.name, `${owner}/${p.name}`, p.common.log_level);
    const inst = await create(
      p,
      `processor "${p.plugin.name}"`,
      () => p.plugin.create(p.options, ctx),
    );
    if (!inst) return undefined;
    if (inst.close) built.closers.push(() => inst.close!());
    const stage = transformStage(inst, { signals: [signal], log: ctx.log });
    return { stage, held: inst.maxHeldBytes ?? 0 };
  }

  for (const o of config.outputs) {
    const ctx = context("output", o.plugin.name, o.name, o.common.log_level);
    const inst = await create(o, `output "${o.name}"`, () => o.plugin.create(o.options, ctx));
    const processors = (await chain(o.name, o.processors)).stage;
    let retryLimit = 1;
    try {
      retryLimit = parseRetryLimit(o.common.retry_limit);
    } catch (e) {
      problems.push({ pos: o.pos, key: "retry_limit", message: errorMessage(e) });
    }
    if (!inst) continue;
    // A plugin may declare its own `workers` default (http: 2); the common key wins when set.
    const workers = o.common.workers ?? (o.options.workers as number | undefined) ?? 1;
    const runner = new OutputRunner({
      name: o.name,
      instance: inst,
      processors,
      log: ctx.log,
      metrics: deps.metrics,
      flush: service.flush,
      workers: Math.max(1, workers),
      retryLimit,
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
    built.outputs.push({
      name: o.name,
      runner,
      matcher,
      signals: signalsOf(o.plugin),
      hasProcessors,
      storage: storageOutput,
    });
  }

  for (const f of config.filters) {
    const ctx = context("filter", f.plugin.name, f.name, f.common.log_level);
    const inst = await create(f, `filter "${f.name}"`, () => f.plugin.create(f.options, ctx));
    if (!inst) continue;
    if (inst.close) built.closers.push(() => inst.close!());
    const labels = { name: f.name };
    const m = deps.metrics;
    const recordsIn = m.counter("fluentbit_filter_records_total", "Records into a filter.");
    const drops = m.counter("fluentbit_filter_drop_records_total", "Records a filter dropped.");
    const adds = m.counter("fluentbit_filter_added_records_total", "Records a filter added.");
    for (const c of [recordsIn, drops, adds]) c.touch(labels);
    const stage = transformStage(inst, {
      signals: signalsOf(f.plugin),
      matcher: compileTagMatcher({ match: f.common.match, matchRegex: f.common.match_regex }),
      log: ctx.log,
      count(before, after) {
        recordsIn.inc(labels, before);
        if (after < before) drops.inc(labels, before - after);
        else if (after > before) adds.inc(labels, after - before);
      },
    });
    built.filters.push({ name: f.name, stage });
  }

  for (const i of config.inputs) {
    const ctx = context("input", i.plugin.name, i.name, i.common.log_level);
    const chained = await chain(i.name, i.processors);
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
    });
    const inst = await create(
      i,
      `input "${i.name}"`,
      () => i.plugin.create(i.options, inputCtx),
    );
    const processors = chained.stage;
    if (!inst) continue;
    built.inputs.push({
      name: i.name,
      instance: inst,
      processors,
      limit,
      abort,
      routable: i.common.routable,
      storageType: inputStorageType(service, i.common),
    });
  }

  built.closers.push(() => Promise.resolve(stopAll.abort()));
  if (problems.length > 0) {
    await Promise.allSettled(built.inputs.map((i) => i.instance.close?.()));
    await Promise.allSettled(built.outputs.map((o) => o.runner.close()));
    throw new ConfigError(problems);
  }
  return built;
}
