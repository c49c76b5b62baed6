/**
 * Helpers for filter plugin tests: a hand-built `PluginContext`, log chunks with real acks,
 * and option values built from a YAML filter section the way the config resolver does.
 */
import { defaultsOf, type OptionTable, parseValue, SOURCE_ORDER } from "../config/options.ts";
import { Ack } from "../event/ack.ts";
import { Logger, memorySink } from "../engine/log.ts";
import { MetricsRegistry } from "../engine/metrics.ts";
import type { FilterPlugin, PluginContext } from "../engine/plugin.ts";
import type { Chunk, LogChunk } from "../event/chunk.ts";
import { logRecord, type RecordMap } from "../event/log_record.ts";
import { noParsers } from "../parsers/types.ts";

/** A plugin context for tests, with every line the plugin logged. */
export interface TestFilterContext extends PluginContext {
  logLines: string[];
}

/** A test `PluginContext`: memory logging, fresh metrics, no parsers, a live signal. */
export function testFilterContext(overrides: Partial<PluginContext> = {}): TestFilterContext {
  const sink = memorySink();
  return {
    name: "filter.0",
    log: new Logger({ sink, component: "filter:test:filter.0" }),
    metrics: new MetricsRegistry(),
    parsers: noParsers,
    signal: new AbortController().signal,
    flush: 1,
    logLines: sink.lines,
    ...overrides,
  };
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

const COMMON_KEYS = new Set(["name", "match", "match_regex", "alias", "log_level"]);

/**
 * A filter's option values from a YAML section (keys case-insensitive, a repeatable key
 * given as one value or a list), over the table's defaults, with the repeatable keys'
 * values also attached in source order under `SOURCE_ORDER`. Throws on an unknown key.
 */
export function optionsFromYaml(
  table: OptionTable,
  section: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = defaultsOf(table);
  const order: [string, string][] = [];
  for (const [rawKey, raw] of Object.entries(section)) {
    const key = rawKey.toLowerCase();
    if (COMMON_KEYS.has(key)) continue;
    const spec = table[key];
    if (!spec) throw new TypeError(`Unknown key ${JSON.stringify(rawKey)}`);
    if (spec.multiple) {
      const values = (Array.isArray(raw) ? raw : [raw]).map((v) => parseValue(spec, v));
      out[key] = [...(out[key] as unknown[]), ...values];
      for (const v of values) order.push([key, String(v)]);
    } else {
      out[key] = parseValue(spec, raw);
    }
  }
  Object.defineProperty(out, SOURCE_ORDER, { value: order, enumerable: false });
  return out;
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
