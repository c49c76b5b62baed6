/**
 * Turning text lines into log records, as the stdin input reads them: a JSON map is the
 * body, a JSON event array (`[time, map]` or `[[time, metadata], map]`) carries its own
 * time, and anything else is kept whole as `{"log": line}`. With a parser, its fields
 * are the body and its time replaces the read time.
 */
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import type { Parser } from "../../../src/parsers/types.ts";

/** Turns the lines of one batch into records; `time` is the batch's read time. */
export interface LineConverter {
  /** Appends the records of every `\n`-terminated line of `text` (a trailing `\r` is dropped). */
  convert(text: string, time: EventTime, out: LogRecord[]): void;
  /** Lines that looked like JSON but did not parse, or did not match the parser. */
  readonly unparsed: number;
}

const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const SPACE = 32;
const TAB = 9;
const CR = 13;

function isMap(value: unknown): value is RecordMap {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The record a JSON event array stands for, or null when it is not one. */
export function eventFromArray(value: unknown[]): LogRecord | null {
  if (value.length !== 2 || !isMap(value[1])) return null;
  let head = value[0];
  let metadata: RecordMap = {};
  if (Array.isArray(head)) {
    if (head.length !== 2 || !isMap(head[1])) return null;
    metadata = head[1];
    head = head[0];
  }
  if (typeof head !== "number" || !Number.isFinite(head)) return null;
  return { time: EventTime.fromSeconds(head), metadata, body: value[1] };
}

/** Splits `text` on `\n` and hands each non-empty line, without a trailing `\r`, to `each`. */
export function forEachLine(text: string, each: (line: string) => void): void {
  let start = 0;
  const length = text.length;
  while (start < length) {
    let nl = text.indexOf("\n", start);
    if (nl < 0) nl = length;
    let end = nl;
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    if (end > start) each(text.slice(start, end));
    start = nl + 1;
  }
}

/** The built-in JSON handling of Fluent Bit's stdin input, never dropping a line. */
export function jsonLineConverter(onInvalid: (line: string) => void): LineConverter {
  let unparsed = 0;
  return {
    get unparsed() {
      return unparsed;
    },
    convert(text, time, out) {
      let start = 0;
      const length = text.length;
      while (start < length) {
        let nl = text.indexOf("\n", start);
        if (nl < 0) nl = length;
        let end = nl;
        if (end > start && text.charCodeAt(end - 1) === CR) end--;
        if (end > start) {
          const line = text.slice(start, end);
          let c = line.charCodeAt(0);
          if (c === SPACE || c === TAB) c = line.trimStart().charCodeAt(0);
          if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            let value: unknown;
            try {
              value = JSON.parse(line);
            } catch {
              unparsed++;
              onInvalid(line);
              value = undefined;
            }
            if (c === OPEN_BRACE && value !== undefined) {
              out.push({ time, metadata: {}, body: value as RecordMap });
            } else {
              const event = Array.isArray(value) ? eventFromArray(value) : null;
              out.push(event ?? { time, metadata: {}, body: { log: line } });
            }
          } else {
            out.push({ time, metadata: {}, body: { log: line } });
          }
        }
        start = nl + 1;
      }
    },
  };
}

/** Lines through `parser`; a line it does not match is kept as `{"log": line}`. */
export function parserLineConverter(
  parser: Parser,
  onUnmatched: (line: string) => void,
): LineConverter {
  let unparsed = 0;
  return {
    get unparsed() {
      return unparsed;
    },
    convert(text, time, out) {
      forEachLine(text, (line) => {
        const result = parser.parse(line);
        if (result) {
          out.push({ time: result.time ?? time, metadata: {}, body: result.body });
        } else {
          unparsed++;
          onUnmatched(line);
          out.push({ time, metadata: {}, body: { log: line } });
        }
      });
    },
  };
}
