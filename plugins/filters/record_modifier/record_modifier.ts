/**
 * The record_modifier filter's work on one body, in Fluent Bit's order: remove the keys
 * `remove_key` names (or all but the `allowlist_key` ones), then append the `record` pairs,
 * then the `uuid_key`.
 */
import { putKey } from "../../../src/event/record_accessor.ts";
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { OptionError, type TransformInstance } from "../../../src/plugin.ts";
import type { RecordModifierOptions } from "./options.ts";
import { ruleArgs } from "../../../src/config/quoted_args.ts";

const hasOwn = Object.hasOwn;

/** Decides whether a key is named by a key list; results are cached per key name. */
export type KeyMatcher = (key: string) => boolean;

const CACHE_LIMIT = 4096;

/**
 * A matcher for `remove_key`/`allowlist_key` entries as Fluent Bit reads them: names compare
 * case-insensitively, and a trailing `*` matches any key starting with the rest.
 */
export function keyMatcher(patterns: readonly string[]): KeyMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    if (p.endsWith("*")) prefixes.push(p.slice(0, -1).toLowerCase());
    else exact.add(p.toLowerCase());
  }
  const cache = new Map<string, boolean>();
  return function matches(key) {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const lower = key.toLowerCase();
    let result = exact.has(lower);
    if (!result) result = prefixes.some((prefix) => lower.startsWith(prefix));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, result);
    return result;
  };
}

/** Parses the `record` values (`KEY VALUE`, either may be quoted); SyntaxError on a bad one. */
export function parseRecords(values: readonly string[]): [string, string][] {
  return values.map((v) => ruleArgs("record", v, ["KEY", "VALUE"]));
}

/** What to do to each body. */
export interface ModifierPlan {
  /** Keys to remove: every matching key (remove) or every other key (allow). */
  keys?: { matcher: KeyMatcher; mode: "remove" | "allow" };
  records: readonly [string, string][];
  uuidKey?: string;
}

function append(body: RecordMap, key: string, value: string): void {
  // Fluent Bit appends a second pair; with one value per key, the new one wins at the end.
  if (hasOwn(body, key)) delete body[key];
  putKey(body, key, value);
}

/**
 * Applies `plan` to `body`, returning the body to keep, or null when removing keys left it
 * empty and nothing is appended (Fluent Bit does not re-emit such a record).
 */
export function modifyBody(body: RecordMap, plan: ModifierPlan): RecordMap | null {
  let out = body;
  if (plan.keys) {
    const { matcher, mode } = plan.keys;
    let removed = false;
    if (mode === "remove") {
      for (const k in out) {
        if (hasOwn(out, k) && matcher(k)) {
          delete out[k];
          removed = true;
        }
      }
    } else {
      const kept: RecordMap = {};
      for (const k in out) {
        if (!hasOwn(out, k)) continue;
        if (matcher(k)) putKey(kept, k, out[k]);
        else removed = true;
      }
      if (removed) out = kept;
    }
    if (removed && plan.records.length === 0 && !plan.uuidKey && isEmpty(out)) return null;
  }
  for (const [key, value] of plan.records) append(out, key, value);
  if (plan.uuidKey) append(out, plan.uuidKey, crypto.randomUUID());
  return out;
}

function isEmpty(map: RecordMap): boolean {
  for (const k in map) if (hasOwn(map, k)) return false;
  return true;
}

/** The records of `chunk` modified by `plan`; null when none is left. */
export function modifierChunk(chunk: Chunk, plan: ModifierPlan): Chunk | null {
  if (chunk.signal !== "logs") return chunk;
  const records = chunk.records;
  let out: LogRecord[] | undefined;
  let logs = 0;
  for (const [i, r] of records.entries()) {
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

/** The record_modifier step for parsed `values`; throws OptionError on conflicting keys. */
export function createRecordModifier(values: RecordModifierOptions): TransformInstance {
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
}
