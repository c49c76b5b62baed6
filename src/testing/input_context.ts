/**
 * An `InputContext` for input plugin tests, built with the engine's own `makePluginContext`
 * and `makeInputContext`: memory logging, a fresh metrics registry, no parsers, an abort
 * controller the test owns, and chunks with real acks and the engine's byte estimate.
 */
import { BufferLimit } from "../engine/buffer_limit.ts";
import { makeInputContext } from "../engine/input_context.ts";
import { Logger, memorySink } from "../engine/log.ts";
import { MetricsRegistry } from "../engine/metrics.ts";
import { makePluginContext } from "../engine/plugin_context.ts";
import type { InputContext, ServiceSettings } from "../plugin.ts";
import type { Chunk } from "../event/chunk.ts";
import { noParsers } from "../parsers/types.ts";
import { defaultSettings } from "./filter_context.ts";

/** An input context for tests, with handles on what the input logged and on its abort. */
export interface TestInputContext extends InputContext {
  /** Aborting it aborts `signal`, as the engine does on shutdown. */
  controller: AbortController;
  /** Every line the input logged, in order. */
  logLines: string[];
  /** The codes of every `requestExit` call, in order. */
  exitRequests: (number | undefined)[];
}

/** Overrides of a test input context; `settings` overrides single service settings. */
export type TestInputOverrides = Partial<Omit<InputContext, "settings">> & {
  settings?: Partial<ServiceSettings>;
};

/**
 * A test `InputContext`; any field may be overridden (pass `signal` to use your own).
 *
 * @example
 * ```ts
 * import { logRecord } from "../event/log_record.ts";
 * import { assertEquals } from "./assert.ts";
 *
 * const ctx = testInputContext({ name: "dummy.0" });
 * const chunk = ctx.chunk([logRecord({ a: 1 })]);
 * assertEquals([chunk.tag, chunk.input, chunk.records.length], ["dummy.0", "dummy.0", 1]);
 * ```
 */
export function testInputContext(overrides: TestInputOverrides = {}): TestInputContext {
  const name = overrides.name ?? "test.0";
  const tag = overrides.tag ?? name;
  const sink = memorySink();
  const controller = new AbortController();
  const log = new Logger({ level: "debug", component: `input:${name}`, sink });
  const metrics = new MetricsRegistry();
  const { settings, ...rest } = overrides;
  const base = makePluginContext({
    name,
    log,
    metrics,
    parsers: overrides.parsers ?? noParsers,
    settings: defaultSettings(settings),
    signal: controller.signal,
  });
  const limit = new BufferLimit({
    limit: Number.MAX_SAFE_INTEGER,
    log,
    gauge: metrics.gauge("fluentbit_input_ingestion_paused", "Is the input paused."),
    name,
  });
  const exitRequests: (number | undefined)[] = [];
  const ctx = makeInputContext(base, { tag, limit, exit: (code) => exitRequests.push(code) });
  return { ...ctx, controller, logLines: sink.lines, exitRequests, ...rest };
}

/** Drains an input's chunks into one array (for inputs whose data ends). */
export async function collectChunks(chunks: AsyncIterable<Chunk>): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}
