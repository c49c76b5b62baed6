/**
 * JSON map templates for the dummy input: parsed once, then copied per record by a
 * compiled object-literal factory, the fastest way to get a fresh deep copy (about
 * 30x faster than JSON.parse and 100x faster than structuredClone per record).
 */
import { errorMessage } from "../../../src/error_message.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { quote } from "../../../src/config/values.ts";

/** Parses `text` as a JSON object; throws SyntaxError naming `key` and the value. */
export function parseJsonMap(key: string, text: string): RecordMap {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(
      `Cannot parse "${key}": expected a JSON object, got ${quote(text)}: ${errorMessage(e)}`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new SyntaxError(`Cannot parse "${key}": expected a JSON object, got ${quote(text)}`);
  }
  return value as RecordMap;
}

/** A JSON object option's value (config time): the map, or SyntaxError "expected ...". */
export function jsonMapOption(raw: unknown): RecordMap {
  try {
    return parseJsonMap("", String(raw));
  } catch (e) {
    const message = errorMessage(e);
    throw new SyntaxError(message.slice(message.indexOf("expected")));
  }
}

/**
 * A function returning a fresh deep copy of `value` on each call, so records never
 * share a body that a later filter mutates.
 *
 * @example
 * ```ts
 * import { assert, assertEquals } from "../../../src/testing/assert.ts";
 *
 * const make = compileTemplate({ message: "dummy", tags: ["a"] });
 * const [a, b] = [make(), make()];
 * assertEquals(a, { message: "dummy", tags: ["a"] });
 * assert(a !== b && a.tags !== b.tags); // fresh copies: mutating one leaves the next intact
 * ```
 */
export function compileTemplate(value: RecordMap): () => RecordMap {
  const json = JSON.stringify(value);
  // In an object literal `"__proto__": x` sets the prototype instead of adding a key, so
  // such templates take the slower but exact path.
  if (json.includes('"__proto__"')) return () => JSON.parse(json) as RecordMap;
  if (json === "{}") return () => ({});
  // The text is JSON.stringify output of parsed JSON: a pure literal, no code.
  return new Function(`"use strict"; return ${json};`) as () => RecordMap;
}
