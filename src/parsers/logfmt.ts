/**
 * The `logfmt` parser: `key=value key="quoted value" bare_key` pairs, read the way
 * Fluent Bit reads them. A bare key, or `key=` with nothing after it, becomes `true`;
 * `key=""` stays an empty string. With `logfmt_no_bare_keys` a bare key rejects the line.
 */
import type { ParserValues } from "../config/common_options.ts";
import { checkedCore, type ParserOptions } from "./definition.ts";
import { type FieldCollector, keyValueParser } from "./field_collector.ts";
import type { Parser } from "./types.ts";

/**
 * Builds a logfmt parser from a definition. Throws ParserDefinitionError listing every
 * problem of the definition.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { parserDefinition } from "./builtin.ts";
 *
 * const p = logfmtParser(parserDefinition({ name: "l", format: "logfmt" }));
 * const body = p.parse('a=1 msg="hi there" debug')?.body;
 * assertEquals(body, { a: "1", msg: "hi there", debug: true });
 * ```
 */
export function logfmtParser(values: ParserValues, options: ParserOptions = {}): Parser {
  const noBareKeys = values.logfmt_no_bare_keys ?? false;
  return keyValueParser(
    checkedCore(values, options),
    "logfmt",
    (text, fields) => scanLogfmt(text, fields, noBareKeys),
  );
}

/** Any character above space except `=` and `"` may be part of a key or bare value. */
function isIdent(c: number): boolean {
  return c > 32 && c !== 61 && c !== 34;
}

/** Reads `key=value` pairs; false for a bare key under `noBareKeys`. */
function scanLogfmt(text: string, fields: FieldCollector, noBareKeys: boolean): boolean {
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
    if (!hasValue && noBareKeys) return false;
    if (escaped) value = unescapeQuoted(value);
    fields.put(key, value, value === "" && !quoted ? true : value);
    if (i >= len) break;
    const c = text.charCodeAt(i);
    if (c === 13 || c === 10) break;
  }
  return true;
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
    const n = value[++i]!;
    if (n === "u" && /^[0-9a-fA-F]{4}$/.test(value.slice(i + 1, i + 5))) {
      out += String.fromCharCode(Number.parseInt(value.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      out += ESCAPES[n] ?? n;
    }
  }
  return out;
}
