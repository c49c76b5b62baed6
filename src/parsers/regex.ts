/**
 * The `regex` parser: an Onigmo (Ruby) pattern whose named groups `(?<name>...)` become
 * the record's fields, in pattern order. No match gives null. Empty or unmatched groups
 * are left out while `skip_empty_values` is on (the default).
 */
import { errorMessage } from "../error_message.ts";
import type { ParserValues } from "../config/common_options.ts";
import type { EventTime } from "../event/event_time.ts";
import type { RecordMap } from "../event/log_record.ts";
import { castField, setField } from "./field_types.ts";
import { compileOnigmo } from "./onigmo.ts";
import type { Parser, ParseResult } from "./types.ts";
import {
  assertNoProblems,
  buildCore,
  type DefinitionProblem,
  type ParserCore,
  type ParserOptions,
  textOption,
} from "./definition.ts";

/**
 * Builds a regex parser from a definition. Throws ParserDefinitionError listing every
 * problem (missing or bad `regex`, bad time options, bad `types`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { parserDefinition } from "./builtin.ts";
 *
 * const p = regexParser(parserDefinition({
 *   name: "kv",
 *   format: "regex",
 *   regex: "^(?<key>\\w+)=(?<value>.*)$",
 * }));
 * assertEquals(p.parse("a=1")?.body, { key: "a", value: "1" });
 * assertEquals(p.parse("no equals sign"), null);
 * ```
 */
export function regexParser(values: ParserValues, options: ParserOptions = {}): Parser {
  const problems: DefinitionProblem[] = [];
  const pattern = textOption(values.regex);
  let single: RegExp | undefined;
  let multi: RegExp | undefined;
  if (pattern === undefined) {
    problems.push({ key: "regex", message: "is required when format is regex" });
  } else {
    try {
      // Ruby's ^ and $ match at every line; JS needs the m flag for that, which only
      // matters when the text holds a newline, so the plain form serves the usual case.
      single = compileOnigmo(pattern);
      multi = compileOnigmo(pattern, "m");
    } catch (e) {
      problems.push({ key: "regex", message: errorMessage(e) });
    }
  }
  const core = buildCore(values, options, problems);
  assertNoProblems(core.name, problems);
  return new RegexParser(core, single!, multi!, values.skip_empty_values ?? true);
}

class RegexParser implements Parser {
  readonly name: string;
  readonly format = "regex";
  readonly #core: ParserCore;
  readonly #single: RegExp;
  readonly #multi: RegExp;
  readonly #skipEmpty: boolean;
  /** Group names in pattern order, read from the first match. */
  #names: string[] | undefined;

  constructor(core: ParserCore, single: RegExp, multi: RegExp, skipEmpty: boolean) {
    this.name = core.name;
    this.#core = core;
    this.#single = single;
    this.#multi = multi;
    this.#skipEmpty = skipEmpty;
  }

  parse(text: string): ParseResult | null {
    const re = text.includes("\n") ? this.#multi : this.#single;
    const m = re.exec(text);
    if (m === null) return null;
    const groups = m.groups;
    const body: RecordMap = {};
    if (groups === undefined) return { body };
    const names = this.#names ??= Object.keys(groups);
    const core = this.#core;
    const types = core.types;
    const timeKey = core.time === null ? undefined : core.timeKey;
    let time: EventTime | undefined;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      let value = groups[name];
      if (value === undefined || value === "") {
        if (this.#skipEmpty) continue;
        value = "";
      }
      if (name === timeKey) {
        const t = core.readTime(value);
        if (t !== null) {
          time = t;
          if (!core.timeKeep) continue;
        }
      }
      const type = types?.get(name);
      setField(body, name, type === undefined ? value : castField(type, value));
    }
    core.decoders?.apply(body);
    return time === undefined ? { body } : { body, time };
  }
}
