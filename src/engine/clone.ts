/**
 * Copies of a chunk's records, for an output whose processors may change records
 * that other outputs also receive.
 */
import type { Chunk } from "../event/chunk.ts";
import type { LogRecord } from "../event/log_record.ts";

/** A deep copy of `chunk`'s records sharing its ack (the caller retains for the route). */
export function cloneChunk(chunk: Chunk): Chunk {
  if (chunk.signal === "logs") {
    const records: LogRecord[] = chunk.records.map((r) => ({
      time: r.time,
      metadata: structuredClone(r.metadata),
      body: structuredClone(r.body),
    }));
    return { ...chunk, records };
  }
  // One structuredClone call keeps shared resource/scope objects shared in the copy.
  return { ...chunk, records: structuredClone(chunk.records) } as Chunk;
}
