/**
 * Builds the context an input instance runs with: chunk construction with a
 * fresh ack, and the pause state of its buffer limit.
 */
import { Ack } from "../event/ack.ts";
import type { Chunk } from "../event/chunk.ts";
import type { LogRecord } from "../event/log_record.ts";
import type { BufferLimit } from "./buffer_limit.ts";
import type { ChunkOptions, InputContext, PluginContext } from "../plugin.ts";

/** Rough byte size of records when the input does not say: one sampled record times the count. */
export function estimateBytes(records: readonly unknown[]): number {
  if (records.length === 0) return 0;
  const sample = records[0] as Partial<LogRecord>;
  let one = 128;
  try {
    one = JSON.stringify(sample.body ?? sample, (_k, v) => typeof v === "bigint" ? String(v) : v)
      ?.length ?? 128;
  } catch {
    // unserialisable sample: keep the default
  }
  return (one + 32) * records.length;
}

/** The context of one input instance. */
export function makeInputContext(
  base: PluginContext,
  options: { tag: string; limit: BufferLimit; exit?: (code: number | undefined) => void },
): InputContext {
  const { tag, limit } = options;
  const exit = options.exit ?? (() => {});
  function signalChunk<C extends Chunk>(
    signal: C["signal"],
    records: C["records"],
    opts: ChunkOptions = {},
  ): C {
    return {
      signal,
      tag: opts.tag ?? tag,
      records,
      bytes: opts.bytes ?? estimateBytes(records),
      ack: new Ack(),
      input: base.name,
    } as C;
  }
  return {
    ...base,
    tag,
    chunk: (records: LogRecord[], opts?: ChunkOptions) => signalChunk("logs", records, opts),
    signalChunk,
    isPaused: () => limit.paused,
    whenResumed: () => limit.whenResumed(),
    requestExit: (code?: number) => exit(code),
  };
}
