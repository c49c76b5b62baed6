/**
 * Turning lines into records: `{key: line}`, or the `parser`'s fields (a line it does not
 * match stays `{key: line}`), with `path_key` and `offset_key` added in Fluent Bit's order.
 */
import type { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import type { Parser } from "../../../src/parsers/types.ts";

/** What every record of an input carries. */
export interface RecordOptions {
  key: string;
  pathKey?: string;
  offsetKey?: string;
  parser?: Parser;
}

/** Builds the records of one input's lines. */
export class RecordBuilder {
  readonly options: RecordOptions;
  /** Lines the parser did not match (kept as `{key: line}`). */
  unmatched = 0;
  #key: string;
  #pathKey: string | undefined;
  #offsetKey: string | undefined;
  #parser: Parser | undefined;
  #plainOnly: boolean;
  #logKey: boolean;

  constructor(options: RecordOptions) {
    this.options = options;
    this.#key = options.key;
    this.#pathKey = options.pathKey || undefined;
    this.#offsetKey = options.offsetKey || undefined;
    this.#parser = options.parser;
    this.#plainOnly = !this.#pathKey && !this.#offsetKey && !this.#parser;
    this.#logKey = this.#key === "log";
  }

  /** True when records need each line's offset (`offset_key`). */
  get needsOffsets(): boolean {
    return this.#offsetKey !== undefined;
  }

  /** Appends the record of one line read at `time`; `offset` is where the line starts. */
  add(out: LogRecord[], text: string, time: EventTime, path: string, offset: number): void {
    if (this.#plainOnly) {
      let body: RecordMap;
      if (this.#logKey) body = { log: text };
      else {
        body = {};
        body[this.#key] = text;
      }
      out.push({ time, metadata: {}, body });
      return;
    }
    const parser = this.#parser;
    if (parser !== undefined) {
      const r = parser.parse(text);
      if (r !== null) {
        let body = r.body;
        if (this.#offsetKey !== undefined || this.#pathKey !== undefined) {
          body = {};
          if (this.#offsetKey !== undefined) body[this.#offsetKey] = offset;
          if (this.#pathKey !== undefined) body[this.#pathKey] = path;
          Object.assign(body, r.body);
        }
        out.push({ time: r.time ?? time, metadata: {}, body });
        return;
      }
      this.unmatched++;
    }
    const body: RecordMap = {};
    if (this.#pathKey !== undefined) body[this.#pathKey] = path;
    if (this.#offsetKey !== undefined) body[this.#offsetKey] = offset;
    body[this.#key] = text;
    out.push({ time, metadata: {}, body });
  }

  /** Adds `path_key` and `offset_key` to a joined (multiline) record, after its fields. */
  decorate(record: LogRecord, path: string, offset: number): LogRecord {
    if (this.#pathKey !== undefined) record.body[this.#pathKey] = path;
    if (this.#offsetKey !== undefined) record.body[this.#offsetKey] = offset;
    return record;
  }
}
