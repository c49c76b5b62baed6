/**
 * The `ltsv` parser (Labeled Tab-separated Values, http://ltsv.org): `label:value`
 * fields separated by tabs. Labels are `[0-9A-Za-z_.-]+`; a value runs to the next tab
 * or line end and may hold colons. Reading stops at the first malformed label.
 */
import type { ParserValues } from "../config/common_options.ts";
import { checkedCore, type ParserOptions } from "./definition.ts";
import { type FieldCollector, keyValueParser } from "./field_collector.ts";
import type { Parser } from "./types.ts";

/**
 * Builds an ltsv parser from a definition. Throws ParserDefinitionError listing every
 * problem of the definition.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { parserDefinition } from "./builtin.ts";
 *
 * const p = ltsvParser(parserDefinition({ name: "l", format: "ltsv" }));
 * assertEquals(p.parse("host:127.0.0.1\treq:GET /")?.body, { host: "127.0.0.1", req: "GET /" });
 * ```
 */
export function ltsvParser(values: ParserValues, options: ParserOptions = {}): Parser {
  return keyValueParser(checkedCore(values, options), "ltsv", scanLtsv);
}

function isLabel(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ||
    c === 95 || c === 46 || c === 45;
}

function isFieldChar(c: number): boolean {
  return c !== 9 && c !== 10 && c !== 13 && c !== 0;
}

/** Reads `label:value` fields up to the first malformed label. */
function scanLtsv(text: string, fields: FieldCollector): boolean {
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
    if (label !== "") fields.put(label, value);
    if (i < len && text.charCodeAt(i) === 9) i++;
    if (i < len && (text.charCodeAt(i) === 13 || text.charCodeAt(i) === 10)) break;
  }
  return true;
}
