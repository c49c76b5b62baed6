/**
 * `tag_key` for OTLP logs: each record's tag is read from its body, and the records are
 * split into one list per tag, each keeping Fluent Bit's group layout (every run of records
 * opens with its group's GROUP_START and closes with a GROUP_END).
 */
import {
  GROUP_END,
  GROUP_START,
  isGroupMarker,
  type LogRecord,
} from "../../../src/event/log_record.ts";
import type { RecordAccessor } from "../../../src/event/record_accessor.ts";

interface Bucket {
  records: LogRecord[];
  /** The GROUP_START record of the group open in this bucket, if any. */
  open: LogRecord | null;
}

function groupEnd(): LogRecord {
  return { time: GROUP_END, metadata: {}, body: {} };
}

/** The tag `accessor` gives a record: its string or number value, else `fallback`. */
function tagOf(record: LogRecord, accessor: RecordAccessor, fallback: string): string {
  const v = accessor.get(record.body);
  if (typeof v === "string" && v !== "") return v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  return fallback;
}

/**
 * Splits laid-out OTLP log records by the tag `accessor` reads from each body (`fallback`
 * when absent), in first-seen order of tags.
 */
export function splitByTagKey(
  records: readonly LogRecord[],
  options: { accessor: RecordAccessor; fallback: string },
): { tag: string; records: LogRecord[] }[] {
  const { accessor, fallback } = options;
  const buckets = new Map<string, Bucket>();
  let start: LogRecord | null = null;
  for (const r of records) {
    if (isGroupMarker(r)) {
      if (r.time.sec === GROUP_START.sec) start = r;
      else {
        for (const b of buckets.values()) {
          if (b.open !== null) b.records.push(r);
          b.open = null;
        }
        start = null;
      }
      continue;
    }
    const tag = tagOf(r, accessor, fallback);
    let b = buckets.get(tag);
    if (!b) buckets.set(tag, b = { records: [], open: null });
    if (b.open !== start) {
      if (b.open !== null) b.records.push(groupEnd());
      if (start !== null) b.records.push(start);
      b.open = start;
    }
    b.records.push(r);
  }
  const out: { tag: string; records: LogRecord[] }[] = [];
  for (const [tag, b] of buckets) {
    if (b.open !== null) b.records.push(groupEnd());
    out.push({ tag, records: b.records });
  }
  return out;
}
