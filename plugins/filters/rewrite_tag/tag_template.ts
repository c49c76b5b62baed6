/**
 * Fluent Bit's record accessor templates for new tags (`flb_ra_translate`): literal text with
 * `$TAG`, `$TAG[n]` (part n of the tag split on dots), `$0`..`$9` (the rule's regex captures)
 * and `$key['sub']` record accessors. A `$key` token ends at `.`, space, `,` or `"` unless
 * inside single quotes. A missing key or capture gives the empty string.
 */
import { compileAccessor, type RecordAccessor } from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";

type Part = string | { tag: number | null } | { group: number } | RecordAccessor;

/** A compiled tag template. */
export interface RecordTemplate {
  /** The template's text for a record of `tag` with regex `groups` ($0 the whole match). */
  render(tag: string, body: RecordMap, groups?: readonly (string | undefined)[]): string;
}

/** A value as Fluent Bit's translate writes it. */
function valueString(v: unknown): string {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return Number.isInteger(v) ? String(v) : v.toFixed(6);
    case "bigint":
    case "boolean":
      return String(v);
    case "object":
      if (v === null) return "null";
      if (v instanceof Uint8Array) {
        return Array.from(v, (b) => b.toString(16).padStart(2, "0")).join("");
      }
      try {
        return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
      } catch {
        return "";
      }
    default:
      return "";
  }
}

/** Where the `$key…` token starting at `at` ends. */
function keyEnd(text: string, at: number): number {
  let quotes = 0;
  let end = at + 1;
  for (; end < text.length; end++) {
    const c = text[end];
    if (c === "'") quotes++;
    else if (c === "." && quotes % 2 === 1) continue;
    else if (c === "." || c === " " || c === "," || c === '"') break;
  }
  return end;
}

/**
 * Compiles `template`; throws SyntaxError on a record accessor it cannot read.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const t = compileRecordTemplate("alert.$1.$TAG[1].$kubernetes['ns']");
 * assertEquals(
 *   t.render("app.web", { kubernetes: { ns: "prod" } }, ["error", "error"]),
 *   "alert.error.web.prod",
 * );
 * ```
 */
export function compileRecordTemplate(template: string): RecordTemplate {
  const parts: Part[] = [];
  let text = "";
  const flush = () => {
    if (text !== "") parts.push(text);
    text = "";
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    const next = template[i + 1];
    if (c !== "$" || next === undefined) {
      text += c;
      continue;
    }
    if (next >= "0" && next <= "9") {
      flush();
      parts.push({ group: Number(next) });
      i += 1;
      continue;
    }
    if (template.startsWith("TAG", i + 1)) {
      flush();
      const m = /^\[(\d+)\]/.exec(template.slice(i + 4));
      if (m) {
        parts.push({ tag: Number(m[1]) });
        i += 3 + m[0].length;
      } else {
        parts.push({ tag: null });
        i += 3;
      }
      continue;
    }
    flush();
    const end = keyEnd(template, i);
    parts.push(compileAccessor(template.slice(i, end)));
    i = end - 1;
  }
  flush();
  return {
    render(tag, body, groups = []) {
      let out = "";
      for (const p of parts) {
        if (typeof p === "string") out += p;
        else if ("group" in p) out += groups[p.group] ?? "";
        else if ("tag" in p) out += p.tag === null ? tag : tag.split(".")[p.tag] ?? "";
        else {
          const v = p.get(body);
          out += v === undefined ? "" : valueString(v);
        }
      }
      return out;
    },
  };
}
