/**
 * The engine services a plugin may use, as small interfaces: the engine's implementations
 * satisfy them, and a plugin sees nothing else of the engine.
 */
import type { AssemblerOptions, MultilineAssembler } from "../multiline/assembler.ts";
import type { ParserRegistry } from "../parsers/types.ts";
import type { Chunk } from "../event/chunk.ts";
import type { LogRecord } from "../event/log_record.ts";
import type { MetricRecord } from "../event/metric.ts";

/** The log levels a plugin writes at. */
export type PluginLogLevel = "error" | "warn" | "info" | "debug" | "trace";

/** The logger of one plugin instance (its lines carry the instance's name). */
export interface PluginLogger {
  /** Whether lines at `level` are written. */
  enabled(level: PluginLogLevel): boolean;
  /** Writes an error line. */
  error(msg: string): void;
  /** Writes a warning line. */
  warn(msg: string): void;
  /** Writes an info line. */
  info(msg: string): void;
  /** Writes a debug line. */
  debug(msg: string): void;
  /** Writes a trace line. */
  trace(msg: string): void;
  /** Writes `msg` the first time `key` is seen, and never again for that key. */
  once(level: PluginLogLevel, key: string, msg: string): void;
}

/** Metric labels: name to value. */
export type MetricLabels = Record<string, string>;

/** One metric family (counter or gauge), its series keyed by labels. */
export interface MetricFamily {
  /** Adds `n` (default 1) to the series of `labels`. */
  inc(labels: MetricLabels, n?: number): void;
  /** Sets the series of `labels` (gauges). */
  set(labels: MetricLabels, value: number): void;
  /** The current value of the series of `labels` (0 when absent). */
  get(labels: MetricLabels): number;
  /** Creates the series of `labels` at 0, so it is shown before its first change. */
  touch(labels: MetricLabels): void;
}

/** A family as the registry holds it, read-only, for inputs that publish it (fluentbit_metrics). */
export interface MetricFamilyView {
  /** The family's name. */
  readonly name: string;
  /** Its help text. */
  readonly help: string;
  /** Counter or gauge. */
  readonly type: "counter" | "gauge";
  /** Its series by label key. */
  readonly series: ReadonlyMap<string, { labels: MetricLabels; value: number }>;
}

/** The metrics registry: families by name, shown on the monitoring endpoints. */
export interface PluginMetrics {
  /** Every family, by name. */
  readonly families: ReadonlyMap<string, MetricFamilyView>;
  /** The counter family `name`, created on first use. */
  counter(name: string, help: string): MetricFamily;
  /** The gauge family `name`, created on first use. */
  gauge(name: string, help: string): MetricFamily;
  /** The value of one series (0 when absent). */
  value(name: string, labels: MetricLabels): number;
}

/** The parsers of the config (and the built-ins), by name. */
export type ParserLookup = ParserRegistry;

/** The multiline parsers (built-ins and the config's `multiline_parsers`), by name. */
export interface MultilineLookup {
  /** The names known, built-ins included. */
  names(): string[];
  /** The service's `multiline_buffer_limit`, the default for assemblers. */
  readonly bufferLimit: number;
  /** An assembler trying `names` in order; throws RangeError naming an unknown parser. */
  assembler<T = never>(names: readonly string[], options?: AssemblerOptions): MultilineAssembler<T>;
}

/** The service settings a plugin may read. */
export interface ServiceSettings {
  /** The service `flush` interval in seconds. */
  flush: number;
  /** The service `storage.path`, when set. */
  storagePath: string | undefined;
  /** The service `json.escape_unicode`. */
  jsonEscapeUnicode: boolean;
  /** The service `json.convert_nan_to_null`. */
  jsonConvertNanToNull: boolean;
  /** The main config file's directory, where relative paths fall back to (`conf_path`). */
  configDir?: string;
}

/** How an emitter input is set up ({@link EmitterService.open}). */
export interface EmitterOptions {
  /** The input's name (Fluent Bit's `emitter_name`); must not be taken by another input. */
  name: string;
  /** Its `mem_buf_limit` in bytes (0: the engine's default cap). */
  memBufLimit: number;
  /** Where its chunks are buffered until delivered. */
  storageType: "memory" | "filesystem";
  /**
   * Called once when every ordinary input has ended, before the emitter may end: a filter
   * emits what it still holds back (log_to_metrics' timer snapshot).
   */
  onClose?: () => void;
}

/**
 * An input of the engine's own that a filter emits records into (Fluent Bit's `in_emitter`):
 * they enter the pipeline from the start, routed by their new tag through every filter whose
 * match takes it, then to storage and outputs as the emitter's own chunks.
 */
export interface Emitter {
  /** The input's name, as metrics show it. */
  readonly name: string;
  /**
   * Emits `records` (taken from `from`) under `tag`. `from`'s ack is held until the emitted
   * chunk is settled (delivered, safe on disk, dead-lettered or dropped on purpose). Returns
   * false when the emitter has stopped taking records (the caller keeps them).
   */
  emit(from: Chunk, tag: string, records: LogRecord[]): boolean;
  /**
   * Emits `records`, a cumulative snapshot, as a metrics chunk under `tag` (log_to_metrics).
   * When `from` is given its ack is held as {@link emit} holds it; a timer's snapshot has none.
   * A snapshot under `tag` the pipeline has not taken yet is replaced by this one (keeping its
   * held acks), so a paused emitter holds one per tag. Returns false when the emitter has
   * stopped taking records.
   */
  emitMetrics(from: Chunk | undefined, tag: string, records: MetricRecord[]): boolean;
  /** True when `chunk` holds records this emitter emitted (or copies of them): a loop. */
  emitted(chunk: Chunk): boolean;
}

/** Opens emitter inputs; only while the pipeline is built (in a plugin's `create`). */
export interface EmitterService {
  /** A new emitter input; throws OptionError("emitter_name") when the name is taken. */
  open(options: EmitterOptions): Emitter;
}
