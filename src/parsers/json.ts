/**
 * The `json` parser: one JSON map per text. Decoders run first, then the time is read
 * from `time_key` (string values only) and removed unless `time_keep` is on. `types`
 * does not apply: JSON values keep their own types, as in Fluent Bit.
 */
import type { ParserValues } from "../config/common_options.ts";
import type { RecordMap } from "../event/log_record.ts";
import { setField } from "./field_types.ts";
import type { Parser, ParseResult } from "./types.ts";
import { checkedCore, type ParserCore, type ParserOptions } from "./definition.ts";

/**
 * Builds a json parser from a definition. Throws ParserDefinitionError listing every
 * problem of the definition.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { parserDefinition } from "./builtin.ts";
 *
 * const p = jsonParser(parserDefinition({ name: "j", format: "json" }));
 * assertEquals(p.parse('{"a":1}')?.body, { a: 1 });
 * ```
 */
export function jsonParser(values: ParserValues, options: ParserOptions = {}): Parser {
  return new JsonParser(checkedCore(values, options));
}

class JsonParser implements Parser {
  readonly name: string;
  readonly format = "json";
  readonly #core: ParserCore;

  constructor(core: ParserCore) {
    this.name = core.name;
    this.#core = core;
  }

  parse(text: string): ParseResult | null {
    if (!looksLikeObject(text)) return null;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return null;
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) return null;
    const map = body as RecordMap;
    const core = this.#core;
    core.decoders?.apply(map);
    if (core.time === null) return { body: map };
    const value = map[core.timeKey];
    if (typeof value !== "string") return { body: map };
    const time = core.readTime(value);
    if (time === null) return { body: map };
    return { body: core.timeKeep ? map : without(map, core.timeKey), time };
  }
}

/** A copy of `map` without `key`: much cheaper than `delete`, which slows the object down. */
function without(map: RecordMap, key: string): RecordMap {
  const out: RecordMap = {};
  const keys = Object.keys(map);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k !== key) setField(out, k, map[k]);
  }
  return out;
}

/** True when the first non-blank character is `{`: saves a throw on plain text lines. */
function looksLikeObject(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) return true;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return false;
}
