/**
 * The `ltsv` parser (Labeled Tab-separated Values, http://ltsv.org): `label:value`
 * fields separated by tabs. Labels are `[0-9A-Za-z_.-]+`; a value runs to the next tab
 * or line end and may hold colons. Reading stops at the first malformed label.
 */
import type { ParserValues } from "../config/common_options.ts";
import type { EventTime } from "../event/event_time.ts";
import type { RecordMap } from "../event/log_record.ts";
import { castField, setField } from "./field_types.ts";
import type { Parser, ParseResult } from "./types.ts";
import {
  assertNoProblems,
  buildCore,
  type DefinitionProblem,
  type ParserCore,
  type ParserOptions,
} from "./definition.ts";

/**
 * Builds an ltsv parser from a definition. Throws ParserDefinitionError listing every
 * problem of the definition.
 *
 * @example
 * ```ts
 * const p = ltsvParser({ ...defaultsOf(parserOptions), name: "l", format: "ltsv" });
 * p.parse("host:127.0.0.1\treq:GET /")?.body; // { host: "127.0.0.1", req: "GET /" }
 * ```
 */
export function ltsvParser(values: ParserValues, options: ParserOptions = {}): Parser {
  const problems: DefinitionProblem[] = [];
  const core = buildCore(values, options, problems);
  assertNoProblems(core.name, problems);
  return new LtsvParser(core);
}

function isLabel(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ||
    c === 95 || c === 46 || c === 45;
}

function isFieldChar(c: number): boolean {
  return c !== 9 && c !== 10 && c !== 13 && c !== 0;
}

class LtsvParser implements Parser {
  readonly name: string;
  readonly format = "ltsv";
  readonly #core: ParserCore;

  constructor(core: ParserCore) {
    this.name = core.name;
    this.#core = core;
  }

  parse(text: string): ParseResult | null {
    const core = this.#core;
    const timeKey = core.time === null ? undefined : core.timeKey;
    const body: RecordMap = {};
    let time: EventTime | undefined;
    let count = 0;
    const len = text.length;
    let i = 0;
    while (i < len) {
      const labelStart = i;
      while (i < len && isLabel(text.charCodeAt(i))) i++;
      if (i === len || text.charCodeAt(i) !== 58 /* : */) break;
      const label = text.slice(labelStart, i);
      const start = ++i;
      while (i < len && isFieldChar(text.charCodeAt(i))) i++;
      const value = text.slice(start, i);
      if (label !== "") {
        let keep = true;
        if (label === timeKey && value !== "") {
          const t = core.readTime(value);
          if (t !== null) {
            time = t;
            keep = core.timeKeep;
          }
        }
        if (keep) {
          const type = core.types?.get(label);
          setField(body, label, type === undefined ? value : castField(type, value));
          count++;
        }
      }
      if (i < len && text.charCodeAt(i) === 9) i++;
      if (i < len && (text.charCodeAt(i) === 13 || text.charCodeAt(i) === 10)) break;
    }
    if (count === 0) return null;
    core.decoders?.apply(body);
    return time === undefined ? { body } : { body, time };
  }
}
