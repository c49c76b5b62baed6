/**
 * The `logfmt` parser: `key=value key="quoted value" bare_key` pairs, read the way
 * Fluent Bit reads them. A bare key, or `key=` with nothing after it, becomes `true`;
 * `key=""` stays an empty string. With `logfmt_no_bare_keys` a bare key rejects the line.
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
 * Builds a logfmt parser from a definition. Throws ParserDefinitionError listing every
 * problem of the definition.
 *
 * @example
 * ```ts
 * const p = logfmtParser({ ...defaultsOf(parserOptions), name: "l", format: "logfmt" });
 * p.parse('a=1 msg="hi there" debug')?.body; // { a: "1", msg: "hi there", debug: true }
 * ```
 */
export function logfmtParser(values: ParserValues, options: ParserOptions = {}): Parser {
  const problems: DefinitionProblem[] = [];
  const core = buildCore(values, options, problems);
  assertNoProblems(core.name, problems);
  return new LogfmtParser(core, values.logfmt_no_bare_keys ?? false);
}

/** Any character above space except `=` and `"` may be part of a key or bare value. */
function isIdent(c: number): boolean {
  return c > 32 && c !== 61 && c !== 34;
}

class LogfmtParser implements Parser {
  readonly name: string;
  readonly format = "logfmt";
  readonly #core: ParserCore;
  readonly #noBareKeys: boolean;

  constructor(core: ParserCore, noBareKeys: boolean) {
    this.name = core.name;
    this.#core = core;
    this.#noBareKeys = noBareKeys;
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
      while (i < len && !isIdent(text.charCodeAt(i))) i++;
      if (i === len) break;
      const keyStart = i;
      while (i < len && isIdent(text.charCodeAt(i))) i++;
      const key = text.slice(keyStart, i);
      let hasValue = false, quoted = false, escaped = false;
      let value = "";
      if (i < len && text.charCodeAt(i) === 61) {
        hasValue = true;
        i++;
        if (i < len && text.charCodeAt(i) === 34) {
          quoted = true;
          const start = ++i;
          while (i < len) {
            const c = text.charCodeAt(i);
            if (c === 34) break;
            if (c === 92) {
              escaped = true;
              i++;
            }
            i++;
          }
          value = text.slice(start, Math.min(i, len));
          if (i < len) i++; // the closing quote
        } else {
          const start = i;
          while (i < len && isIdent(text.charCodeAt(i))) i++;
          value = text.slice(start, i);
        }
      }
      if (!hasValue && this.#noBareKeys) return null;
      if (escaped) value = unescapeQuoted(value);
      let keep = true;
      if (key === timeKey && value !== "") {
        const t = core.readTime(value);
        if (t !== null) {
          time = t;
          keep = core.timeKeep;
        }
      }
      if (keep) {
        const type = core.types?.get(key);
        setField(
          body,
          key,
          type !== undefined ? castField(type, value) : value === "" && !quoted ? true : value,
        );
        count++;
      }
      if (i >= len) break;
      const c = text.charCodeAt(i);
      if (c === 13 || c === 10) break;
    }
    if (count === 0) return null;
    core.decoders?.apply(body);
    return time === undefined ? { body } : { body, time };
  }
}

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  '"': '"',
  "\\": "\\",
  "/": "/",
};

/** Undoes backslash escapes inside a quoted value, `\uXXXX` included. */
function unescapeQuoted(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== "\\" || i + 1 >= value.length) {
      out += c;
      continue;
    }
    const n = value[++i];
    if (n === "u" && /^[0-9a-fA-F]{4}$/.test(value.slice(i + 1, i + 5))) {
      out += String.fromCharCode(Number.parseInt(value.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      out += ESCAPES[n] ?? n;
    }
  }
  return out;
}
