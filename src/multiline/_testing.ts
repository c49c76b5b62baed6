/**
 * Test helpers for this folder: read `[MULTILINE_PARSER]` sections of a classic file
 * the way the config loader hands them over, and a `json` parser registry.
 */
import { multilineParserOptions, type MultilineParserValues } from "../config/common_options.ts";
import { defaultsOf } from "../config/options.ts";
import { parseBool, parseInt } from "../config/values.ts";
import type { ParserRegistry } from "../parsers/types.ts";
import { EventTime } from "../event/event_time.ts";
import type { LogRecord } from "../event/log_record.ts";

/** The `[MULTILINE_PARSER]` sections of a classic parsers file, as option values. */
export function readClassicMultiline(text: string): MultilineParserValues[] {
  const out: MultilineParserValues[] = [];
  let current: MultilineParserValues | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("[")) {
      current = null;
      if (line.toUpperCase() === "[MULTILINE_PARSER]") {
        current = defaultsOf(multilineParserOptions);
        current.rule = [];
        out.push(current);
      }
      continue;
    }
    if (current === null) continue;
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (key === "rule") (current.rule as string[]).push(value);
    else if (key === "flush_timeout") current.flush_timeout = parseInt(value);
    else if (key === "negate") current.negate = parseBool(value);
    else (current as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** A registry with one `json` parser (format json, no time key). */
export const jsonParsers: ParserRegistry = {
  get(name: string) {
    if (name !== "json") return undefined;
    return {
      name: "json",
      format: "json",
      parse(text: string) {
        try {
          const v = JSON.parse(text);
          return v !== null && typeof v === "object" && !Array.isArray(v) ? { body: v } : null;
        } catch {
          return null;
        }
      },
    };
  },
  names: () => ["json"],
};

/** A record with body `{ [key]: text }` at a fixed time. */
export function rec(text: string, key = "log", sec = 1_700_000_000): LogRecord {
  return { time: new EventTime(sec, 0), metadata: {}, body: { [key]: text } };
}

/** A controllable monotonic clock for assemblers. */
export function fakeNow(start = 0): { now: () => number; set(ms: number): void } {
  let t = start;
  return { now: () => t, set: (ms: number) => (t = ms) };
}
