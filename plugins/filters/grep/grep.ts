/** The grep filter's stage: keeps or drops the log records of each chunk by its rules. */
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord, type RecordMap } from "../../../src/event/log_record.ts";
import type { TransformInstance } from "../../../src/plugin.ts";
import type { GrepOptions } from "./options.ts";
import { grepPredicate, type GrepRule, parseGrepRule } from "./rules.ts";

/** Keeps the records `keep` accepts; group markers stay unless no log record is left. */
function grepChunk(chunk: Chunk, keep: (body: RecordMap) => boolean): Chunk | null {
  if (chunk.signal !== "logs") return chunk;
  const records = chunk.records;
  let out: LogRecord[] | undefined;
  let kept = 0;
  for (const [i, r] of records.entries()) {
    if (isGroupMarker(r)) {
      out?.push(r);
    } else if (keep(r.body)) {
      kept++;
      out?.push(r);
    } else {
      out ??= records.slice(0, i);
    }
  }
  if (!out) return chunk;
  return kept === 0 ? null : withRecords(chunk, out);
}

/** The grep step for parsed `values`; throws naming a bad rule's key. */
export function createGrep(values: GrepOptions): TransformInstance {
  const rules: GrepRule[] = [
    ...values.regex.map((v) => parseGrepRule("regex", v)),
    ...values.exclude.map((v) => parseGrepRule("exclude", v)),
  ];
  const keep = grepPredicate(rules, values.logical_op);
  return { process: (chunk) => grepChunk(chunk, keep) };
}
