/**
 * Creates every plugin instance of a validated config: outputs with their
 * runners, filters and processors as stages, inputs with their contexts.
 * A plugin that refuses its options (OptionError from `create`) is reported as a config
 * problem at the key's position; a SyntaxError, RangeError or TypeError at the first key
 * its message quotes, else at its section.
 */
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
import { buildMultilineRegistry } from "../multiline/mod.ts";
import {
  type InputInstance,
  OptionError,
  type PluginContext,
  signalsOf,
  type Stage,
} from "../plugin.ts";
import { makePluginContext, serviceSettings } from "./plugin_context.ts";
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
  /** The multiline registry (built-ins only when omitted) and the clock (real when omitted). */
  context?: Partial<Pick<PluginContext, "multiline" | "clock">>;
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

  const multiline = deps.context?.multiline ??
    buildMultilineRegistry([], { parsers: deps.parsers });
  const settings = serviceSettings(service);
  const context = (kind: string, plugin: string, name: string, level?: string) =>
    makePluginContext({
      name,
      log: deps.log.child(`${kind}:${plugin}:${name}`, level as LogLevel | undefined),
      metrics: deps.metrics,
      parsers: deps.parsers,
      multiline,
      settings,
      clock: deps.context?.clock,
      signal: stopAll.signal,
    });

  async function create<T>(
    where: { pos: Pos; keys?: Record<string, Pos> },
    label: string,
    make: () => T | Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await make();
    } catch (e) {
      if (e instanceof OptionError) {
        const pos = where.keys?.[e.key] ?? where.pos;
        problems.push({ pos, key: e.key, message: `${label}: ${e.message}` });
        return undefined;
      }
      if (e instanceof SyntaxError || e instanceof RangeError || e instanceof TypeError) {
        // Untyped errors (a SyntaxError of a rule parser): the first key the message quotes.
        const key = quotedKey(e.message, where.keys);
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

/** The first key a message quotes that the section has, lowercased. */
function quotedKey(message: string, keys: Record<string, Pos> | undefined): string | undefined {
  const quoted = [...message.matchAll(/"([^"]+)"/g)].map((m) => m[1].toLowerCase());
  return quoted.find((k) => keys?.[k] !== undefined);
}
