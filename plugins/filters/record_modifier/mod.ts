/**
 * The `record_modifier` filter: append fixed fields, remove fields or keep only some, and
 * add a UUID per record.
 */
import { opt } from "../../../src/config/options.ts";
import { defineFilter, OptionError } from "../../../src/plugin.ts";
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import { keyMatcher, type ModifierPlan, modifyBody, parseRecords } from "./record_modifier.ts";

const options = {
  record: opt.multi(
    "Append a field: `KEY VALUE` (either may be quoted); an existing KEY is replaced at the end",
  ),
  remove_key: opt.multi(
    "Remove the field with this key (case-insensitive; a trailing * matches a prefix)",
  ),
  allowlist_key: opt.multi(
    "Keep only fields with these keys (case-insensitive; a trailing * matches a prefix); " +
      "a record left with no field is dropped",
  ),
  whitelist_key: opt.multi("Alias of allowlist_key"),
  uuid_key: opt.string(undefined, "Add a random UUID v4 under this key to every record"),
};

function modifierChunk(chunk: Chunk, plan: ModifierPlan): Chunk | null {
  if (chunk.signal !== "logs") return chunk;
  const records = chunk.records;
  let out: LogRecord[] | undefined;
  let logs = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (isGroupMarker(r)) {
      out?.push(r);
      continue;
    }
    const body = modifyBody(r.body, plan);
    if (body === null) {
      out ??= records.slice(0, i);
      continue;
    }
    r.body = body;
    logs++;
    out?.push(r);
  }
  if (!out) return chunk;
  return logs === 0 ? null : withRecords(chunk, out);
}

/** The record_modifier filter plugin. */
export const plugin = defineFilter({
  name: "record_modifier",
  description: "Append fields, remove or allowlist fields, and add a UUID to log records",
  options,
  create(values) {
    const allow = [...values.allowlist_key, ...values.whitelist_key];
    if (values.remove_key.length > 0 && allow.length > 0) {
      throw new OptionError(
        "remove_key",
        `Cannot use "remove_key" with "allowlist_key" (or "whitelist_key"): ` +
          `they exclude each other, keep one`,
      );
    }
    const plan: ModifierPlan = {
      records: parseRecords(values.record),
      uuidKey: values.uuid_key || undefined,
      keys: values.remove_key.length > 0
        ? { matcher: keyMatcher(values.remove_key), mode: "remove" }
        : allow.length > 0
        ? { matcher: keyMatcher(allow), mode: "allow" }
        : undefined,
    };
    return { process: (chunk) => modifierChunk(chunk, plan) };
  },
});
