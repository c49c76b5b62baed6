/**
 * One message being assembled: the joined text, the first line's record (its other
 * fields, time and metadata go into the result), and the tokens of the lines it holds.
 */
import { EventTime } from "../event/event_time.ts";
import type { LogRecord, RecordMap } from "../event/log_record.ts";
import type { MultilineRule } from "./rules.ts";

/** Options for one `MultilineAssembler.push` (declared here, beside the message types). */
export interface PushOptions<T> {
  /** Time of a raw text line (records carry their own); now when omitted. */
  time?: EventTime;
  /** Opaque value handed back in `tokens` of the message the line ends up in. */
  token?: T;
}

/** A completed message: the joined record and where its lines came from. */
export interface MultilineMessage<T = unknown> {
  /** The stream key it was pushed under. */
  stream: string;
  /** The joined record. */
  record: LogRecord;
  /** How many lines were joined. */
  lines: number;
  /** True when it was flushed early because it reached `multiline_buffer_limit`. */
  truncated: boolean;
  /** The token of every line it holds, one entry per line (empty when none were given). */
  tokens: T[];
}

/** What one pushed line contributes to a message (filled in place, not kept). */
export interface LineParts<T> {
  content: string;
  /** The `key_pattern` value, compared instead of the content when present. */
  pattern: string | undefined;
  /** The `key_group` value ("" without one). */
  group: string;
  /** The fields of the line (parsed, or the record's body); null for raw text. */
  map: RecordMap | null;
  /** The pushed record itself when `map` is its unmodified body. */
  source: LogRecord | null;
  time: EventTime | undefined;
  metadata: RecordMap | undefined;
  token: T | undefined;
}

/** The pending message of one (stream, parser, key_group value). */
export class PendingGroup<T> {
  /** The rule that matched the last line (type regex). */
  rule: MultilineRule | null = null;
  text = "";
  lines = 0;
  /** Monotonic milliseconds of the last line added. */
  lastAt = 0;
  #map: RecordMap | null = null;
  #source: LogRecord | null = null;
  #time: EventTime | undefined = undefined;
  #metadata: RecordMap | undefined = undefined;
  #tokens: T[] | null = null;

  /** Adds a line; the first line of a message registers the record context. */
  add(line: LineParts<T>, sep: string, piece: string): void {
    if (this.lines === 0) {
      this.text = piece;
      this.#map = line.map;
      this.#source = line.source;
      this.#time = line.time ?? EventTime.now();
      this.#metadata = line.metadata;
    } else {
      this.text += sep + piece;
      this.#source = null;
    }
    this.lines++;
    if (line.token !== undefined) (this.#tokens ??= []).push(line.token);
  }

  /** Composes the message and resets the group (its rule state is kept). */
  take(stream: string, keyContent: string | undefined, truncated: boolean): MultilineMessage<T> {
    let record: LogRecord;
    const key = keyContent ?? "log";
    if (this.#source !== null && this.lines === 1 && this.#source.body[key] === this.text) {
      record = this.#source;
    } else {
      let body: RecordMap;
      if (this.#map !== null) {
        body = { ...this.#map };
        body[key] = this.text;
      } else {
        body = { [key]: this.text };
      }
      record = {
        time: this.#time ?? EventTime.now(),
        metadata: this.#metadata ?? {},
        body,
      };
    }
    const message: MultilineMessage<T> = {
      stream,
      record,
      lines: this.lines,
      truncated,
      tokens: this.#tokens ?? [],
    };
    this.text = "";
    this.lines = 0;
    this.#map = null;
    this.#source = null;
    this.#time = undefined;
    this.#metadata = undefined;
    this.#tokens = null;
    return message;
  }
}

/** The separator and piece Fluent Bit appends for a line of a regex parser's message. */
export function regexJoin(group: PendingGroup<unknown>, content: string): [string, string] {
  const sep = group.lines > 0 && !group.text.endsWith("\n") ? "\n" : "";
  return [sep, content === "" && group.lines > 0 ? "\n" : content];
}
