/**
 * `decode_field` and `decode_field_as`: decoders run on a parsed record's string
 * fields. `decode_field_as` replaces the value; `decode_field json` adds the decoded
 * map's keys to the record. An optional action says what to do next:
 * `try_next` (try the next rule when this one fails) or `do_next` (always go on).
 */
import type { RecordMap } from "../event/log_record.ts";
import { setField } from "./field_types.ts";

/** The decoders Fluent Bit offers. */
export type DecoderName = "json" | "escaped" | "escaped_utf8" | "mysql_quoted";

const DECODERS: readonly DecoderName[] = ["json", "escaped", "escaped_utf8", "mysql_quoted"];
const ACTIONS = ["try_next", "do_next"] as const;

interface Rule {
  /** True for `decode_field_as` (replace), false for `decode_field` (add keys). */
  as: boolean;
  decode: (text: string) => unknown;
  action: "none" | typeof ACTIONS[number];
}

/** Compiled decoder rules, applied to a parsed record in place. */
export interface Decoders {
  apply(body: RecordMap): void;
}

function parseRule(spec: string, as: boolean, rules: Map<string, Rule[]>): void {
  const parts = spec.trim().split(/\s+/);
  const key = as ? "decode_field_as" : "decode_field";
  const [decoder, field, action] = parts;
  if (decoder === undefined || field === undefined || parts.length > 3) {
    throw new SyntaxError(
      `Cannot read ${key} ${JSON.stringify(spec)}: expected "decoder field [try_next|do_next]"`,
    );
  }
  const name = decoder.toLowerCase() as DecoderName;
  if (!DECODERS.includes(name)) {
    throw new SyntaxError(
      `Cannot read ${key} ${JSON.stringify(spec)}: unknown decoder ${
        JSON.stringify(decoder)
      }, expected one of ${DECODERS.join(", ")}`,
    );
  }
  const act = action?.toLowerCase();
  if (act !== undefined && !(ACTIONS as readonly string[]).includes(act)) {
    throw new SyntaxError(
      `Cannot read ${key} ${JSON.stringify(spec)}: unknown action ${
        JSON.stringify(action)
      }, expected try_next or do_next`,
    );
  }
  const list = rules.get(field) ?? [];
  list.push({ as, decode: DECODE[name], action: (act ?? "none") as Rule["action"] });
  rules.set(field, list);
}

/**
 * Compiles the decoder rules; `decode_field_as` rules of a field run before its
 * `decode_field` rules. Null when there are none. Throws SyntaxError on a bad rule.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const d = compileDecoders([], ["json log"]);
 * const body = { log: '{"a":1}' };
 * d?.apply(body);
 * assertEquals(body, { log: { a: 1 } });
 * ```
 */
export function compileDecoders(decodeField: string[], decodeFieldAs: string[]): Decoders | null {
  const rules = new Map<string, Rule[]>();
  for (const spec of decodeFieldAs) parseRule(spec, true, rules);
  for (const spec of decodeField) parseRule(spec, false, rules);
  if (rules.size === 0) return null;
  return {
    apply(body: RecordMap): void {
      let extra: RecordMap | undefined;
      for (const [field, list] of rules) {
        const value = body[field];
        if (typeof value !== "string") continue;
        const [replaced, added] = runRules(list, value);
        if (replaced !== undefined) body[field] = replaced;
        if (added) extra = extra ? merge(extra, added) : added;
      }
      if (extra) merge(body, extra);
    },
  };
}

/** Copies `from`'s fields into `into` (a `__proto__` key as a field, not a prototype). */
function merge(into: RecordMap, from: RecordMap): RecordMap {
  for (const key of Object.keys(from)) setField(into, key, from[key]);
  return into;
}

function runRules(list: Rule[], value: string): [unknown, RecordMap | undefined] {
  let data = value;
  let replaced: unknown = undefined;
  let added: RecordMap | undefined;
  for (const rule of list) {
    if (!rule.as && rule.action === "do_next" && added) continue;
    if (replaced !== undefined && typeof replaced !== "string") continue;
    const out = rule.decode(data);
    if (out === undefined) {
      if (rule.action === "none") break;
      continue;
    }
    if (rule.as) {
      replaced = out;
      if (typeof out === "string") data = out;
    } else if (typeof out === "object") {
      added = out as RecordMap;
    }
    if (rule.action !== "do_next") break;
  }
  return [replaced, added];
}

const DECODE: Record<DecoderName, (text: string) => unknown> = {
  json: decodeJson,
  escaped: unescape,
  escaped_utf8: unescapeUtf8,
  mysql_quoted: unquoteMysql,
};

/** A JSON map, as written or after unescaping; undefined when the text is not one. */
function decodeJson(text: string): RecordMap | undefined {
  for (const candidate of [text, unescape(text)]) {
    const t = candidate.trim();
    if (t[0] !== "{") continue;
    try {
      const v = JSON.parse(t);
      if (v !== null && typeof v === "object" && !Array.isArray(v)) return v;
    } catch {
      // try the unescaped form next
    }
  }
  return undefined;
}

const SIMPLE: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  v: "\v",
  a: "\x07",
};

/** `escaped`: C escapes become control characters; a backslash before anything else is dropped. */
function unescape(text: string): string {
  if (!text.includes("\\")) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== "\\" || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const n = text[++i]!;
    out += SIMPLE[n] ?? n;
  }
  return out;
}

const HEX: Record<string, RegExp> = {
  x: /^[0-9a-fA-F]{1,2}/,
  u: /^[0-9a-fA-F]{1,4}/,
  U: /^[0-9a-fA-F]{1,8}/,
};

/**
 * `escaped_utf8`: C escapes, octal `\NNN`, `\xHH`, `\uHHHH` and `\UHHHHHHHH` become
 * characters; the JSON escapes `\"`, `\'`, `\\` and `\/` are left as written.
 */
function unescapeUtf8(text: string): string {
  if (!text.includes("\\")) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const n = text[i + 1];
    if (c !== "\\" || n === undefined || n === '"' || n === "'" || n === "\\" || n === "/") {
      out += c;
      if (c === "\\" && n !== undefined) out += text[++i];
      continue;
    }
    i++;
    if (SIMPLE[n]) {
      out += SIMPLE[n];
    } else if (n >= "0" && n <= "7") {
      const m = /^[0-7]{1,3}/.exec(text.slice(i, i + 3))![0];
      out += String.fromCharCode(Number.parseInt(m, 8));
      i += m.length - 1;
    } else if (HEX[n]) {
      const m = HEX[n].exec(text.slice(i + 1, i + 9));
      if (!m) {
        out += n;
        continue;
      }
      const code = Number.parseInt(m[0], 16);
      out += code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
      i += m[0].length;
    } else {
      out += n;
    }
  }
  return out;
}

const MYSQL: Record<string, string> = { 0: "\0", b: "\b", n: "\n", r: "\r", t: "\t", Z: "\x1a" };

/** `mysql_quoted`: strips matching single or double quotes and undoes MySQL escapes. */
function unquoteMysql(text: string): string | undefined {
  const q = text[0];
  if (text.length < 2 || (q !== "'" && q !== '"') || text[text.length - 1] !== q) return undefined;
  let out = "";
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length - 1) {
      const n = text[++i]!;
      out += MYSQL[n] ?? n;
    } else if (c === q && text[i + 1] === q && i + 1 < text.length - 1) {
      out += q;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}
