/**
 * Splits a chunk into one chunk per partition. Each part has an ack of its own and holds
 * the original's, so the original settles (and its input commits) only once every part has
 * settled: delivered, or dead-lettered. Log group markers are repeated into each part that
 * has records of the group, so every part is a well-formed chunk.
 */
import { Ack } from "../../event/ack.ts";
import type { Chunk } from "../../event/chunk.ts";
import { isGroupMarker, type LogRecord } from "../../event/log_record.ts";

/** One part of a split chunk: the partition (node index) and its records as a chunk. */
export interface ChunkPart<C extends Chunk = Chunk> {
  /** The partition, as the node index the placement gave. */
  partition: number;
  /** The records of that partition, in their original order, with an ack of their own. */
  chunk: C;
}

/**
 * Splits `chunk` by `partitionOf(recordIndex)`, parts in order of first appearance. The
 * original's ack is retained once per part and released as each part's ack settles; the
 * caller still owns its own hold on the original. A chunk that falls wholly in one partition
 * still gets a part of its own, with the same records array.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * import { logChunk } from "../../testing/filter_context.ts";
 *
 * const chunk = logChunk([{ n: 0 }, { n: 1 }, { n: 2 }]);
 * const parts = splitChunk(chunk, (i) => i % 2);
 * assertEquals(parts.map((p) => [p.partition, p.chunk.records.length]), [[0, 2], [1, 1]]);
 * chunk.ack.release(); // the caller's hold
 * parts[0]!.chunk.ack.release();
 * assertEquals(chunk.ack.settled, false);
 * parts[1]!.chunk.ack.release();
 * await chunk.ack.done;
 * ```
 */
export function splitChunk<C extends Chunk>(
  chunk: C,
  partitionOf: (recordIndex: number) => number,
): ChunkPart<C>[] {
  const groups = splitRecords(chunk, partitionOf);
  const n = chunk.records.length;
  const parts: ChunkPart<C>[] = [];
  for (const [partition, records] of groups) {
    const ack = new Ack();
    chunk.ack.retain();
    ack.done.then(() => chunk.ack.release());
    const bytes = n > 0 ? Math.ceil(chunk.bytes * records.length / n) : 0;
    const part = { ...chunk, records: groups.size === 1 ? chunk.records : records, bytes, ack };
    parts.push({ partition, chunk: part as C });
  }
  return parts;
}

/**
 * The records of `chunk` grouped by `partitionOf(recordIndex)`, groups in order of first
 * appearance, log group markers copied into each group that has records of theirs. No acks:
 * for an output that sends every group within one write.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * import { logChunk } from "../../testing/filter_context.ts";
 *
 * const groups = splitRecords(logChunk([{ n: 0 }, { n: 1 }, { n: 2 }]), (i) => i % 2);
 * assertEquals([...groups.keys()], [0, 1]);
 * ```
 */
export function splitRecords<C extends Chunk>(
  chunk: C,
  partitionOf: (recordIndex: number) => number,
): Map<number, C["records"]> {
  return (chunk.signal === "logs"
    ? splitLogs(chunk.records, partitionOf)
    : splitPlain(chunk.records as unknown[], partitionOf)) as Map<number, C["records"]>;
}

function splitPlain(
  records: readonly unknown[],
  partitionOf: (i: number) => number,
): Map<number, unknown[]> {
  const groups = new Map<number, unknown[]>();
  for (let i = 0; i < records.length; i++) {
    const p = partitionOf(i);
    const list = groups.get(p);
    if (list) list.push(records[i]);
    else groups.set(p, [records[i]]);
  }
  return groups;
}

/** As splitPlain; a group's markers are copied into each part that has records of it. */
function splitLogs(
  records: readonly LogRecord[],
  partitionOf: (i: number) => number,
): Map<number, LogRecord[]> {
  const groups = new Map<number, LogRecord[]>();
  let start: LogRecord | undefined;
  const touched = new Set<number>(); // parts with records of the current group
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (isGroupMarker(r)) {
      if (r.time.sec === -2) { for (const p of touched) groups.get(p)!.push(r); }
      start = r.time.sec === -1 ? r : undefined;
      touched.clear();
      continue;
    }
    const p = partitionOf(i);
    let list = groups.get(p);
    if (!list) groups.set(p, list = []);
    if (!touched.has(p)) {
      if (start) list.push(start);
      touched.add(p);
    }
    list.push(r);
  }
  return groups;
}
