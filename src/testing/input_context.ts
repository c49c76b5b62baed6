/**
 * A hand-built `InputContext` for input plugin tests: memory logging, a fresh metrics
 * registry, no parsers, an abort controller the test owns, and chunks with real acks.
 */
import { Ack } from "../event/ack.ts";
import { Logger, memorySink } from "../engine/log.ts";
import { MetricsRegistry } from "../engine/metrics.ts";
import type { ChunkOptions, InputContext } from "../engine/plugin.ts";
import type { Chunk, LogChunk } from "../event/chunk.ts";
import type { LogRecord } from "../event/log_record.ts";
import { noParsers } from "../parsers/types.ts";

/** An input context for tests, with handles on what the input logged and on its abort. */
export interface TestInputContext extends InputContext {
  /** Aborting it aborts `signal`, as the engine does on shutdown. */
  controller: AbortController;
  /** Every line the input logged, in order. */
  logLines: string[];
}

/** The byte estimate used when a chunk is made without `bytes`: the records' JSON length. */
export function estimateBytes(records: readonly unknown[]): number {
  try {
    return JSON.stringify(records, (_k, v) => typeof v === "bigint" ? v.toString() : v).length;
  } catch {
    return records.length * 100;
  }
}

/**
 * A test `InputContext`; any field may be overridden (pass `signal` to use your own).
 *
 * @example
 * ```ts
 * const ctx = testInputContext({ name: "dummy.0" });
 * const chunk = ctx.chunk([logRecord({ a: 1 })]);
 * ```
 */
export function testInputContext(overrides: Partial<InputContext> = {}): TestInputContext {
  const name = overrides.name ?? "test.0";
  const tag = overrides.tag ?? name;
  const sink = memorySink();
  const controller = new AbortController();
  const ctx: TestInputContext = {
    name,
    tag,
    log: new Logger({ level: "debug", component: `input:${name}`, sink }),
    metrics: new MetricsRegistry(),
    parsers: noParsers,
    signal: controller.signal,
    flush: 1,
    controller,
    logLines: sink.lines,
    chunk(records: LogRecord[], options?: ChunkOptions): LogChunk {
      return {
        signal: "logs",
        tag: options?.tag ?? tag,
        records,
        bytes: options?.bytes ?? estimateBytes(records),
        ack: new Ack(),
        input: name,
      };
    },
    signalChunk<C extends Chunk>(
      signal: C["signal"],
      records: C["records"],
      options?: ChunkOptions,
    ): C {
      return {
        signal,
        tag: options?.tag ?? tag,
        records,
        bytes: options?.bytes ?? estimateBytes(records),
        ack: new Ack(),
        input: name,
      } as C;
    },
    isPaused: () => false,
    whenResumed: () => Promise.resolve(),
    ...overrides,
  };
  return ctx;
}

/** Drains an input's chunks into one array (for inputs whose data ends). */
export async function collectChunks(chunks: AsyncIterable<Chunk>): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}
