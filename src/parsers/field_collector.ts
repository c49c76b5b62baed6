/**
 * One record's fields for the key-value formats (logfmt, ltsv): a non-empty time key is
 * read as the record time (and kept only with `time_keep`), `types` cast the values, and
 * the decoders run on the finished body.
 */
import type { EventTime } from "../event/event_time.ts";
import type { RecordMap } from "../event/log_record.ts";
import type { ParserCore } from "./definition.ts";
import { castField, setField } from "./field_types.ts";
import type { Parser, ParseResult } from "./types.ts";

/** Reads the fields of `text` into `fields`; false rejects the whole line. */
export type FieldScanner = (text: string, fields: FieldCollector) => boolean;

/** A parser of a key-value format, whose `scan` finds the fields of a line. */
export function keyValueParser(core: ParserCore, format: string, scan: FieldScanner): Parser {
  const fields = new FieldCollector(core);
  return {
    name: core.name,
    format,
    parse(text: string): ParseResult | null {
      fields.reset();
      return scan(text, fields) ? fields.result() : null;
    },
  };
}

/** Gathers the fields of one record at a time; one per parser, reset for each line. */
export class FieldCollector {
  readonly #core: ParserCore;
  readonly #timeKey: string | undefined;
  #body: RecordMap = {};
  #time: EventTime | undefined;
  #count = 0;

  constructor(core: ParserCore) {
    this.#core = core;
    this.#timeKey = core.time === null ? undefined : core.timeKey;
  }

  /** Starts a new record. */
  reset(): void {
    this.#body = {};
    this.#time = undefined;
    this.#count = 0;
  }

  /** Adds a field; `untyped` is what is stored when `types` does not name the key. */
  put(key: string, value: string, untyped: unknown = value): void {
    const core = this.#core;
    if (key === this.#timeKey && value !== "") {
      const t = core.readTime(value);
      if (t !== null) {
        this.#time = t;
        if (!core.timeKeep) return;
      }
    }
    const type = core.types?.get(key);
    setField(this.#body, key, type === undefined ? untyped : castField(type, value));
    this.#count++;
  }

  /** The record, decoded; null when no field was kept. */
  result(): ParseResult | null {
    if (this.#count === 0) return null;
    const body = this.#body;
    const time = this.#time;
    this.#core.decoders?.apply(body);
    return time === undefined ? { body } : { body, time };
  }
}
