/**
 * The plugin contract. A plugin is a plain typed object: name, kind, description,
 * one option table, and a `create` that returns the stage. `plugins/mod.ts` is the
 * one registry; the engine knows no plugin by name.
 */
import type { OptionTable, OptionValues } from "../config/options.ts";
import type { Chunk, Signal } from "../event/chunk.ts";
import type { LogRecord } from "../event/log_record.ts";
import type { ParserRegistry } from "../parsers/types.ts";
import type { MultilineRegistry } from "../multiline/mod.ts";
import type { Logger } from "./log.ts";
import type { MetricsRegistry } from "./metrics.ts";

/** An async-generator stage over chunks: the shape of every pipeline step. */
export type Stage = (chunks: AsyncIterable<Chunk>) => AsyncIterable<Chunk>;

/** What every plugin instance is given. */
export interface PluginContext {
  /** Instance name: alias, or `<plugin>.<n>` (e.g. `tail.0`), as metric labels show it. */
  name: string;
  log: Logger;
  metrics: MetricsRegistry;
  parsers: ParserRegistry;
  /** Multiline parsers (built-ins and the config's), for tail and the multiline filter. */
  multiline?: MultilineRegistry;
  /** Aborted when the engine stops; long waits should observe it. */
  signal: AbortSignal;
  /** The service `flush` interval in seconds. */
  flush: number;
  /** The service `storage.path`, when set. */
  storagePath?: string;
  /** The service `json.escape_unicode` / `json.convert_nan_to_null` values (defaults true/false). */
  json?: { escapeUnicode?: boolean; convertNanToNull?: boolean };
}

/** Options for {@link InputContext.chunk}. */
export interface ChunkOptions {
  /** Defaults to the input's tag. */
  tag?: string;
  /** Byte size for buffer accounting; estimated when omitted. */
  bytes?: number;
}

/** What an input instance is given. */
export interface InputContext extends PluginContext {
  /** The configured tag, or the instance name when none is set. */
  tag: string;
  /** A new log chunk with a fresh ack, for `records`. */
  chunk(records: LogRecord[], options?: ChunkOptions): Chunk;
  /** A new chunk of any signal with a fresh ack. */
  signalChunk<C extends Chunk>(
    signal: C["signal"],
    records: C["records"],
    options?: ChunkOptions,
  ): C;
  /** True while the engine holds the input paused (mem_buf_limit); push inputs answer 503. */
  isPaused(): boolean;
  /** Resolves when the input is no longer paused (at once when it is not). */
  whenResumed(): Promise<void>;
}

/**
 * A running input: a generator of chunks. It ends when its data ends or `signal` aborts.
 *
 * The stop rule: after `signal` aborts, the engine stops waiting for a paused input to
 * resume and keeps pulling `chunks` until the generator returns. An input that holds
 * records back (a last line without a newline, a pending multiline message) yields them
 * then, in chunks of their own, and returns. The engine gives up pulling only after the
 * stop timeout; a chunk yielded past it is never acknowledged, so the input should not
 * commit its position for it and reads it again on its next start.
 */
export interface InputInstance {
  /**
   * The input's chunks, pulled one at a time (a pull is the input's backpressure). After
   * `signal` aborts: yield what is held, then return (see the stop rule above).
   */
  chunks: AsyncIterable<Chunk>;
  /** Releases resources (sockets, files); called once after `chunks` ends. */
  close?(): Promise<void>;
}

/**
 * A running filter or processor. Either `process`, a synchronous per-chunk step (per-record
 * loop inside; null or no records drops the chunk), or `stage`, a full generator stage for
 * steps that hold chunks back (tail sampling).
 */
export interface TransformInstance {
  process?: (chunk: Chunk) => Chunk | null;
  stage?: Stage;
  /**
   * Bytes a holding stage may keep back by design (tail sampling's buffer), acks retained.
   * An input without `mem_buf_limit` gets this much more room, so the stage's own bound and
   * policy act before the input pauses.
   */
  maxHeldBytes?: number;
  close?(): Promise<void>;
}

/** A running output. `write` returns when delivered, or throws RetryableError/PermanentError. */
export interface OutputInstance {
  write(chunk: Chunk): Promise<void>;
  close?(): Promise<void>;
}

interface PluginBase<O extends OptionTable> {
  name: string;
  description: string;
  options: O;
  /** The signals the plugin handles; defaults to logs only. */
  signals?: readonly Signal[];
}

/** An input plugin definition. */
export interface InputPlugin<O extends OptionTable = OptionTable> extends PluginBase<O> {
  kind: "input";
  create(options: OptionValues<O>, ctx: InputContext): InputInstance | Promise<InputInstance>;
}

/** A filter plugin definition (tag-matched; also usable as a processor). */
export interface FilterPlugin<O extends OptionTable = OptionTable> extends PluginBase<O> {
  kind: "filter";
  create(
    options: OptionValues<O>,
    ctx: PluginContext,
  ): TransformInstance | Promise<TransformInstance>;
}

/** A processor plugin definition (per input or output, no tag matching). */
export interface ProcessorPlugin<O extends OptionTable = OptionTable> extends PluginBase<O> {
  kind: "processor";
  create(
    options: OptionValues<O>,
    ctx: PluginContext,
  ): TransformInstance | Promise<TransformInstance>;
}

/** An output plugin definition. */
export interface OutputPlugin<O extends OptionTable = OptionTable> extends PluginBase<O> {
  kind: "output";
  create(options: OptionValues<O>, ctx: PluginContext): OutputInstance | Promise<OutputInstance>;
}

/** Any plugin definition. */
export type Plugin = InputPlugin | FilterPlugin | ProcessorPlugin | OutputPlugin;
/** The kinds of plugin. */
export type PluginKind = Plugin["kind"];

/** Declares an input plugin, inferring its option values from its table. */
export function defineInput<O extends OptionTable>(p: InputPlugin<O>): InputPlugin {
  return p as unknown as InputPlugin;
}

/** Declares a filter plugin, inferring its option values from its table. */
export function defineFilter<O extends OptionTable>(p: FilterPlugin<O>): FilterPlugin {
  return p as unknown as FilterPlugin;
}

/** Declares a processor plugin, inferring its option values from its table. */
export function defineProcessor<O extends OptionTable>(p: ProcessorPlugin<O>): ProcessorPlugin {
  return p as unknown as ProcessorPlugin;
}

/** Declares an output plugin, inferring its option values from its table. */
export function defineOutput<O extends OptionTable>(p: OutputPlugin<O>): OutputPlugin {
  return p as unknown as OutputPlugin;
}

/** The signals a plugin handles. */
export function signalsOf(p: Plugin): readonly Signal[] {
  return p.signals ?? ["logs"];
}

/** The plugins by kind and name. */
export interface PluginRegistry {
  inputs: Map<string, InputPlugin>;
  filters: Map<string, FilterPlugin>;
  processors: Map<string, ProcessorPlugin>;
  outputs: Map<string, OutputPlugin>;
}

/** Builds the registry from a list of definitions; a name may be written once per kind. */
export function makeRegistry(plugins: readonly Plugin[]): PluginRegistry {
  const reg: PluginRegistry = {
    inputs: new Map(),
    filters: new Map(),
    processors: new Map(),
    outputs: new Map(),
  };
  for (const p of plugins) {
    const map = (p.kind === "input"
      ? reg.inputs
      : p.kind === "filter"
      ? reg.filters
      : p.kind === "processor"
      ? reg.processors
      : reg.outputs) as Map<string, Plugin>;
    if (map.has(p.name)) {
      throw new RangeError(`Plugin "${p.name}" is registered twice as ${p.kind}`);
    }
    map.set(p.name, p);
  }
  return reg;
}
