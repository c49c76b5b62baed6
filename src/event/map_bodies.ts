/**
 * A filter's common step: a new body for some log records of a chunk, the chunk itself
 * kept when none changes (copy on write).
 */
import { type Chunk, withRecords } from "./chunk.ts";
import { isGroupMarker, type LogRecord, type RecordMap } from "./log_record.ts";

/**
 * `chunk` with each log record's body replaced by `f(body)`, where it gives one
 * (`undefined`: the record stays as it is); group markers and non-log chunks pass through,
 * and the same chunk comes back when no body changed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { logRecord } from "./log_record.ts";
 * import type { Chunk } from "./chunk.ts";
 *
 * const chunk = { signal: "logs", tag: "t", records: [logRecord({ a: 1 }), logRecord({ b: 2 })] };
 * const out = mapLogBodies(chunk as Chunk, (b) => ("a" in b ? { a: 10 } : undefined));
 * assertEquals(out.records.map((r) => (r as { body: unknown }).body), [{ a: 10 }, { b: 2 }]);
 * assertEquals(mapLogBodies(chunk as Chunk, () => undefined), chunk);
 * ```
 */
export function mapLogBodies(chunk: Chunk, f: (body: RecordMap) => RecordMap | undefined): Chunk {
  if (chunk.signal !== "logs") return chunk;
  let out: LogRecord[] | undefined;
  const records = chunk.records;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (isGroupMarker(r)) continue;
    const body = f(r.body);
    if (body === undefined) continue;
    out ??= records.slice();
    out[i] = { ...r, body };
  }
  return out ? withRecords(chunk, out) : chunk;
}
