/**
 * How one pushed line is read for a parser: its content (the text to match and
 * join), key_pattern and key_group values, and the record context it brings.
 */
import { EventTime } from "../event/event_time.ts";
import type { LogRecord } from "../event/log_record.ts";
import type { LineParts, MultilineMessage, PushOptions } from "./group.ts";
import type { MultilineParser } from "./rules.ts";
import type { ParseResult } from "../parsers/types.ts";

/**
 * Fills `parts` from `line` for parser `p`; false when the parser cannot apply (its
 * `parser` rejects the text, or the content key is missing or not a string).
 */
export function extractLine<T>(
  p: MultilineParser,
  key: string | undefined,
  line: string | LogRecord,
  options: PushOptions<T> | undefined,
  parts: LineParts<T>,
): boolean {
  parts.token = options?.token;
  parts.source = null;
  if (typeof line === "string") {
    parts.time = options?.time;
    parts.metadata = undefined;
    if (p.parser) {
      if (!takeParsed(p.parser.parse(line), key, parts)) return false;
    } else {
      parts.map = null;
      parts.content = line;
    }
  } else {
    if (key === undefined) return false;
    const value = line.body[key];
    if (typeof value !== "string") return false;
    parts.time = line.time;
    parts.metadata = line.metadata;
    if (p.parser) {
      if (!takeParsed(p.parser.parse(value), key, parts)) return false;
    } else {
      parts.map = line.body;
      parts.source = line;
      parts.content = value;
    }
  }
  const map = parts.map;
  const pattern = p.keyPattern !== undefined && map !== null ? map[p.keyPattern] : undefined;
  parts.pattern = typeof pattern === "string" ? pattern : undefined;
  const group = p.keyGroup !== undefined && map !== null ? map[p.keyGroup] : undefined;
  parts.group = typeof group === "string" ? group : "";
  return true;
}

/** Fills `parts` from a `parser` result; false when it has no string under `key`. */
function takeParsed<T>(
  r: ParseResult | null,
  key: string | undefined,
  parts: LineParts<T>,
): boolean {
  if (r === null || key === undefined) return false;
  const content = r.body[key];
  if (typeof content !== "string") return false;
  parts.map = r.body;
  parts.content = content;
  if (r.time) parts.time = r.time;
  return true;
}

/** A line no parser took, passed on alone: a record unchanged, text as `{key: text}`. */
export function singleMessage<T>(
  stream: string,
  line: string | LogRecord,
  options: PushOptions<T> | undefined,
  key: string | undefined,
): MultilineMessage<T> {
  const token = options?.token;
  const tokens = token === undefined ? [] : [token];
  if (typeof line !== "string") {
    return { stream, record: line, lines: 1, truncated: false, tokens };
  }
  const record: LogRecord = {
    time: options?.time ?? EventTime.now(),
    metadata: {},
    body: { [key ?? "log"]: line },
  };
  return { stream, record, lines: 1, truncated: false, tokens };
}
