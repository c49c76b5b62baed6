/**
 * Helpers for plugin tests: a `PluginContext` built with the engine's own function, log
 * chunks with real acks, and option values parsed from a YAML section by the config's own
 * section parser.
 */
import { commonFilterOptions, serviceOptions } from "../config/common_options.ts";
import type { ConfigProblem } from "../config/model.ts";
import { defaultsOf, type OptionTable, SOURCE_ORDER } from "../config/options.ts";
import { sectionOptions } from "../config/section_options.ts";
import { Ack } from "../event/ack.ts";
import { Logger, memorySink } from "../engine/log.ts";
import { MetricsRegistry } from "../engine/metrics.ts";
import { makePluginContext, serviceSettings } from "../engine/plugin_context.ts";
import type { FilterPlugin, PluginContext, ServiceSettings } from "../plugin.ts";
import type { Chunk, LogChunk } from "../event/chunk.ts";
import { logRecord, type RecordMap } from "../event/log_record.ts";
import { noParsers } from "../parsers/types.ts";

/** A plugin context for tests, with every line the plugin logged. */
export interface TestFilterContext extends PluginContext {
  /** Every line the plugin logged, in order. */
  logLines: string[];
}

/** Overrides of a test context; `settings` overrides single service settings. */
export type TestContextOverrides = Partial<Omit<PluginContext, "settings">> & {
  settings?: Partial<ServiceSettings>;
};

/** The service settings of a config that sets none (the service table's defaults). */
export function defaultSettings(overrides: Partial<ServiceSettings> = {}): ServiceSettings {
  return { ...serviceSettings(defaultsOf(serviceOptions)), ...overrides };
}

/**
 * A test `PluginContext` made by the engine's `makePluginContext`: memory logging (debug
 * and up), fresh metrics, no parsers, the built-in multiline parsers, the real clock, a
 * live signal, the service defaults.
 */
export function testFilterContext(overrides: TestContextOverrides = {}): TestFilterContext {
  const sink = memorySink();
  const name = overrides.name ?? "filter.0";
  const { settings, ...rest } = overrides;
  const base = makePluginContext({
    name,
    log: new Logger({ level: "debug", sink, component: `test:${name}` }),
    metrics: new MetricsRegistry(),
    parsers: overrides.parsers ?? noParsers,
    settings: defaultSettings(settings),
    signal: new AbortController().signal,
  });
  return { ...base, ...rest, logLines: sink.lines };
}

/** A log chunk of `bodies` (each a fresh record at a fixed time) with a new ack. */
export function logChunk(bodies: RecordMap[], tag = "test"): LogChunk {
  return {
    signal: "logs",
    tag,
    bytes: 0,
    ack: new Ack(),
    input: "test.0",
    records: bodies.map((b) => logRecord(b)),
  };
}

/**
 * A filter's option values from a YAML section (keys case-insensitive, a repeatable key
 * given as one value or a list), parsed by the config's own section parser, so defaults,
 * checks and the `SOURCE_ORDER` pairs are as in a real config. Throws SyntaxError listing
 * the problems (an unknown key, a bad value).
 */
export function optionsFromYaml(
  table: OptionTable,
  section: Record<string, unknown>,
): Record<string, unknown> {
  const pos = { file: "test.yaml", line: 1, col: 1 };
  const props = Object.entries({ name: "test", ...section }).map(([key, value]) => ({
    key,
    value,
    pos,
  }));
  const problems: ConfigProblem[] = [];
  const [own] = sectionOptions({ kind: "filter", pos, props }, [table, commonFilterOptions], {
    owner: "test filter",
    problems,
  });
  if (problems.length > 0) {
    throw new SyntaxError(problems.map((p) => `"${p.key}": ${p.message}`).join("; "));
  }
  return own;
}

/** Creates `plugin` with its defaults overridden by `options`, and returns its `process`. */
export async function filterProcess(
  plugin: FilterPlugin,
  options: Record<string, unknown> = {},
): Promise<(chunk: Chunk) => Chunk | null> {
  const values = { ...defaultsOf(plugin.options), ...options };
  const order = (options as { [SOURCE_ORDER]?: unknown })[SOURCE_ORDER];
  if (order) Object.defineProperty(values, SOURCE_ORDER, { value: order });
  const inst = await plugin.create(values, testFilterContext({ name: `${plugin.name}.0` }));
  if (!inst.process) throw new TypeError(`Filter "${plugin.name}" has no process step`);
  return inst.process;
}

/** The bodies of a processed chunk's records; an empty list when it was dropped. */
export function bodiesOf(chunk: Chunk | null): RecordMap[] {
  if (!chunk) return [];
  if (chunk.signal !== "logs") throw new TypeError(`Expected a logs chunk, got ${chunk.signal}`);
  return chunk.records.map((r) => r.body);
}
