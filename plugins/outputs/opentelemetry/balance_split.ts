/**
 * Which records of a chunk go to which endpoint, as index lists into the chunk's records:
 * the engine retries a partial write by index, so a part must know where its records came
 * from. A log group's markers (GROUP_START, GROUP_END) go with every part that has records
 * of the group, so each part is a well-formed OTLP logs request.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";

/**
 * Groups record indexes by `nodeOf(index)`, in order of first appearance; markers of a log
 * group are repeated into each group with records of it; a group with only markers is left out.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { logChunk } from "../../../src/testing/filter_context.ts";
 *
 * const parts = indexesByNode(logChunk([{ n: 0 }, { n: 1 }, { n: 2 }]), (i) => i % 2);
 * assertEquals([...parts], [[0, [0, 2]], [1, [1]]]);
 * ```
 */
export function indexesByNode(
  chunk: Chunk,
  nodeOf: (index: number) => number,
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const n = chunk.records.length;
  if (chunk.signal !== "logs") {
    for (let i = 0; i < n; i++) push(out, nodeOf(i), i);
    return out;
  }
  const records: readonly LogRecord[] = chunk.records;
  let start = -1;
  const touched = new Set<number>();
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    if (isGroupMarker(r)) {
      if (r.time.sec === -2) { for (const p of touched) push(out, p, i); }
      start = r.time.sec === -1 ? i : -1;
      touched.clear();
      continue;
    }
    const p = nodeOf(i);
    if (!touched.has(p)) {
      if (start >= 0) push(out, p, start);
      touched.add(p);
    }
    push(out, p, i);
  }
  return out;
}

function push(map: Map<number, number[]>, key: number, index: number): void {
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
}
