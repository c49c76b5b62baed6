import type { Ack } from "./ack.ts";
import type { LogRecord } from "./log_record.ts";
import type { MetricRecord } from "./metric.ts";
import type { Span } from "./span.ts";

/** The three kinds of telemetry a chunk can hold. */
export type Signal = "logs" | "traces" | "metrics";

/** A chunk is full at about this many bytes (Fluent Bit's 2048000). */
export const CHUNK_MAX_BYTES = 2_048_000;

/** What every chunk carries, whatever its signal. */
export interface ChunkBase {
  /** The tag routing matches against. */
  tag: string;
  /** Approximate size, for buffer accounting (mem_buf_limit). */
  bytes: number;
  /** Settled when every output route finished with this chunk. */
  ack: Ack;
  /** Instance name of the input that produced it (e.g. `tail.0`). */
  input: string;
}

/** A batch of log records. */
export interface LogChunk extends ChunkBase {
  /** Log records. */
  signal: "logs";
  /** The records, in arrival order. */
  records: LogRecord[];
}

/** A batch of spans. */
export interface TraceChunk extends ChunkBase {
  /** Spans. */
  signal: "traces";
  /** The spans, each with its resource and scope. */
  records: Span[];
}

/** A batch of metrics. */
export interface MetricChunk extends ChunkBase {
  /** Metrics. */
  signal: "metrics";
  /** The metrics, each with its resource and scope. */
  records: MetricRecord[];
}

/**
 * The unit that flows through the pipeline: one signal, one tag, a batch of
 * records (up to about 2 MB), its byte size and an ack handle.
 */
export type Chunk = LogChunk | TraceChunk | MetricChunk;

/** The same chunk (same ack, tag and input) with other records. */
export function withRecords<C extends Chunk>(chunk: C, records: C["records"]): C {
  return { ...chunk, records } as C;
}
