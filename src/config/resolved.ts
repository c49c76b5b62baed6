/**
 * The configuration after validation: every section checked against its plugin's
 * option table, with typed values, ready for the engine to build the pipeline.
 */
import type { Signal } from "../event/chunk.ts";
import type { FilterPlugin, InputPlugin, OutputPlugin, ProcessorPlugin } from "../plugin.ts";
import type {
  CommonFilterValues,
  CommonInputValues,
  CommonOutputValues,
  CommonProcessorValues,
  MultilineParserValues,
  ParserValues,
  ServiceValues,
} from "./common_options.ts";
import type { ConfigProblem, Pos } from "./model.ts";

/** A processor instance in a per-input or per-output chain. */
export interface ProcessorConfig {
  /** A processor plugin, or a filter used as a processor. */
  plugin: ProcessorPlugin | FilterPlugin;
  name: string;
  common: CommonProcessorValues;
  options: Record<string, unknown>;
  pos: Pos;
  /** Where each key was written, for problems found when the plugin is created. */
  keys?: Record<string, Pos>;
}

/** Processors by signal, in list order. */
export type ProcessorChains = Record<Signal, ProcessorConfig[]>;

/** An input instance. */
export interface InputConfig {
  plugin: InputPlugin;
  /** Alias or `<plugin>.<n>`. */
  name: string;
  common: CommonInputValues;
  options: Record<string, unknown>;
  processors: ProcessorChains;
  pos: Pos;
  /** Where each key was written, for problems found when the plugin is created. */
  keys?: Record<string, Pos>;
}

/** A filter instance. */
export interface FilterConfig {
  plugin: FilterPlugin;
  name: string;
  common: CommonFilterValues;
  options: Record<string, unknown>;
  pos: Pos;
  /** Where each key was written, for problems found when the plugin is created. */
  keys?: Record<string, Pos>;
}

/** An output instance. */
export interface OutputConfig {
  plugin: OutputPlugin;
  name: string;
  common: CommonOutputValues;
  options: Record<string, unknown>;
  processors: ProcessorChains;
  pos: Pos;
  /** Where each key was written, for problems found when the plugin is created. */
  keys?: Record<string, Pos>;
}

/** A parser definition, position kept for errors found when it is compiled. */
export interface ParserConfig {
  values: ParserValues;
  pos: Pos;
  /** Where each key was written, for problems found when the plugin is created. */
  keys?: Record<string, Pos>;
}

/** A multiline parser definition. */
export interface MultilineParserConfig {
  values: MultilineParserValues;
  pos: Pos;
  /** Where each key was written, for problems found when the plugin is created. */
  keys?: Record<string, Pos>;
}

/** A whole validated configuration. */
export interface PipelineConfig {
  file: string;
  files: string[];
  service: ServiceValues;
  inputs: InputConfig[];
  filters: FilterConfig[];
  outputs: OutputConfig[];
  parsers: ParserConfig[];
  multilineParsers: MultilineParserConfig[];
  /** Accepted, but worth telling the user (shown at start and by validate). */
  warnings?: ConfigProblem[];
}
