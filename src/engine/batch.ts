/**
 * Batches: the unit an output writes. A batch merges consecutive queued chunks of
 * the same signal, tag and input (up to about 2 MB) into one chunk view, and
 * settles every source chunk's route when it is done.
 */
import { Ack } from "../event/ack.ts";
import { type Chunk, CHUNK_MAX_BYTES } from "../event/chunk.ts";

/** One write's worth of chunks. */
export interface Batch {
  /** The merged view handed to the output. */
  chunk: Chunk;
  /** The routed chunks it was made of; each holds one ack retain for this output. */
  sources: Chunk[];
  /** Retries so far. */
  attempts: number;
}

function sameKey(a: Chunk, b: Chunk): boolean {
  return a.signal === b.signal && a.tag === b.tag && a.input === b.input;
}

/**
 * Takes the longest run of same-key chunks from the front of `queue` (at least one,
 * at most `maxBytes` unless the first alone is larger) and merges it.
 */
export function takeBatch(queue: Chunk[], maxBytes = CHUNK_MAX_BYTES): Batch {
  const first = queue.shift()!;
  const sources = [first];
  let bytes = first.bytes;
  while (queue.length > 0 && sameKey(first, queue[0]!) && bytes + queue[0]!.bytes <= maxBytes) {
    const next = queue.shift()!;
    bytes += next.bytes;
    sources.push(next);
  }
  if (sources.length === 1) return { chunk: first, sources, attempts: 0 };
  const records = sources.flatMap((c) => c.records as unknown[]);
  const chunk = { ...first, records, bytes, ack: new Ack() } as Chunk;
  return { chunk, sources, attempts: 0 };
}

/** Settles this output's route on every source chunk. */
export function settleBatch(batch: Batch): void {
  for (const c of batch.sources) c.ack.release();
  if (batch.sources.length > 1 || batch.chunk !== batch.sources[0]) batch.chunk.ack.release();
}

/** Records in a batch. */
export function batchRecords(batch: Batch): number {
  return batch.chunk.records.length;
}

/**
 * The same chunk's records at `indexes` (in their order, out-of-range ones ignored) as a
 * chunk of their own, with a fresh ack and its share of the bytes.
 */
export function chunkPart(chunk: Chunk, indexes: Iterable<number>): Chunk {
  const all = chunk.records as unknown[];
  const records: unknown[] = [];
  for (const i of indexes) if (i >= 0 && i < all.length) records.push(all[i]);
  const bytes = all.length === 0 ? 0 : Math.ceil(chunk.bytes * records.length / all.length);
  return { ...chunk, records, bytes, ack: new Ack() } as Chunk;
}

/** Makes the batch write only its records at `indexes` from now on (a partial retry). */
export function narrowBatch(batch: Batch, indexes: Iterable<number>): void {
  const old = batch.chunk;
  if (batch.sources.length > 1 || old !== batch.sources[0]) old.ack.release();
  batch.chunk = chunkPart(old, indexes);
}
