/**
 * The engine services a plugin may use, as small interfaces: the engine's implementations
 * satisfy them, and a plugin sees nothing else of the engine.
 */
import type { AssemblerOptions, MultilineAssembler } from "../multiline/assembler.ts";
import type { ParserRegistry } from "../parsers/types.ts";

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

/** The metrics registry: families by name, shown on the monitoring endpoints. */
export interface PluginMetrics {
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
