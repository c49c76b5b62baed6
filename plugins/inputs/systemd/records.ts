/**
 * A journal entry as Fluent Bit's systemd input makes it a record: the entry's realtime
 * as the time, every field as a string (bytes for values that are not UTF-8), a name seen
 * twice becomes an array of its values in order (moved to the end of the map, as Fluent
 * Bit's kvlist does), and the tag's `*` replaced by the entry's `_SYSTEMD_UNIT`.
 */
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import { putKey } from "../../../src/event/record_accessor.ts";
import type { JournalEntry } from "./export_reader.ts";

/** How field names are rewritten and how many fields are kept. */
export interface RecordShape {
  stripUnderscores: boolean;
  lowercase: boolean;
  maxFields: number;
}

/** The time of an entry: microseconds to seconds and nanoseconds. */
export function entryTime(realtime: number): EventTime {
  const sec = Math.floor(realtime / 1_000_000);
  return new EventTime(sec, (realtime - sec * 1_000_000) * 1000);
}

const utf8 = new TextDecoder();

/**
 * The record body of `entry`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const entry = {
 *   cursor: "s=1", realtime: 1, bytes: 0,
 *   names: ["MESSAGE", "_PID", "TAG", "_UID", "TAG"], values: ["hi", "42", "a", "0", "b"],
 * };
 * const shape = { stripUnderscores: true, lowercase: true, maxFields: 8000 };
 * assertEquals(entryBody(entry, shape), { message: "hi", pid: "42", uid: "0", tag: ["a", "b"] });
 * ```
 */
export function entryBody(entry: JournalEntry, shape: RecordShape): RecordMap {
  const body: RecordMap = {};
  const { names, values } = entry;
  const n = Math.min(names.length, shape.maxFields);
  for (let i = 0; i < n; i++) {
    let key = names[i]!;
    if (shape.stripUnderscores && key.charCodeAt(0) === 95) key = key.slice(1);
    if (shape.lowercase) key = key.toLowerCase();
    const value = values[i]!;
    if (!Object.hasOwn(body, key)) {
      putKey(body, key, value);
      continue;
    }
    const prev = body[key];
    if (Array.isArray(prev)) prev.push(value);
    else {
      delete body[key];
      putKey(body, key, [prev, value]);
    }
  }
  return body;
}

/** The record of `entry`. */
export function entryRecord(entry: JournalEntry, shape: RecordShape): LogRecord {
  return { time: entryTime(entry.realtime), metadata: {}, body: entryBody(entry, shape) };
}

/** The first value of field `name` in `entry`, as text. */
export function fieldText(entry: JournalEntry, name: string): string | undefined {
  const i = entry.names.indexOf(name);
  if (i < 0) return undefined;
  const v = entry.values[i]!;
  return typeof v === "string" ? v : utf8.decode(v);
}

/**
 * Makes the tag of each entry: `tag` itself, or, when it holds a `*`, the tag with its
 * first `*` replaced by the entry's `_SYSTEMD_UNIT` (`unknown` without one).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const tagOf = entryTagger("host.*.log");
 * const entry = { cursor: "", realtime: 0, bytes: 0, names: ["_SYSTEMD_UNIT"], values: ["cron.service"] };
 * assertEquals(tagOf(entry), "host.cron.service.log");
 * assertEquals(tagOf({ ...entry, names: [], values: [] }), "host.unknown.log");
 * ```
 */
export function entryTagger(tag: string): (entry: JournalEntry) => string {
  const star = tag.indexOf("*");
  if (star < 0) return () => tag;
  const head = tag.slice(0, star);
  const tail = tag.slice(star + 1);
  return (entry) => head + (fieldText(entry, "_SYSTEMD_UNIT") ?? "unknown") + tail;
}
