/**
 * The `grep` filter: keep or drop log records by regular expressions on their fields.
 */
import { opt } from "../../../src/config/options.ts";
import { defineFilter } from "../../../src/plugin.ts";
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { grepPredicate, type GrepRule, parseGrepRule } from "./grep.ts";

const options = {
  regex: opt.multi(
    "Keep records whose KEY matches: `KEY REGEX` (KEY a record accessor or a top-level key; " +
      "numbers and booleans match as text)",
  ),
  exclude: opt.multi("Drop records whose KEY matches: `KEY REGEX`"),
  logical_op: opt.choice(
    ["legacy", "and", "or"] as const,
    "legacy",
    "How rules combine: legacy (drop on any exclude match, keep only when every regex " +
      "matches), and, or (and/or take one kind of rule only)",
  ),
};

/** Keeps the records `keep` accepts; group markers stay unless no log record is left. */
function grepChunk(chunk: Chunk, keep: (body: RecordMap) => boolean): Chunk | null {
  if (chunk.signal !== "logs") return chunk;
  const records = chunk.records;
  let out: LogRecord[] | undefined;
  let kept = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
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

/** The grep filter plugin. */
export const plugin = defineFilter({
  name: "grep",
  description: "Keep or drop records whose fields match regular expressions",
  options,
  create(values) {
    const rules: GrepRule[] = [
      ...values.regex.map((v) => parseGrepRule("regex", v)),
      ...values.exclude.map((v) => parseGrepRule("exclude", v)),
    ];
    const keep = grepPredicate(rules, values.logical_op);
    return { process: (chunk) => grepChunk(chunk, keep) };
  },
});
