/**
 * The parser contract shared by inputs and filters (`parser` on tail and stdin, the
 * `parser` filter, multiline parsers). Parsers are defined in the config's `parsers`
 * section or a `[PARSER]` file, plus the built-in set.
 */
import type { EventTime } from "../event/event_time.ts";
import type { RecordMap } from "../event/log_record.ts";

/** What a parser makes of one text: the fields, and the time when `time_key` gave one. */
export interface ParseResult {
  /** The fields parsed from the text. */
  body: RecordMap;
  /** The record's time, when `time_key` gave one. */
  time?: EventTime;
}

/** A named parser. `parse` returns null when the text does not match. */
export interface Parser {
  /** The parser's name. */
  readonly name: string;
  /** The parser's format (`regex`, `json`, `logfmt`, `ltsv`). */
  readonly format: string;
  /** Parses `text`; null when it does not match. */
  parse(text: string): ParseResult | null;
}

/** Parsers by name, as the config defines them. */
export interface ParserRegistry {
  get(name: string): Parser | undefined;
  names(): string[];
}

/** A registry with no parsers. */
export const noParsers: ParserRegistry = { get: () => undefined, names: () => [] };
