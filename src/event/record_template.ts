/**
 * Fluent Bit's template translation (`flb_ra_translate`), used for Loki labels and
 * Splunk's event host and source: literal text with `$key['sub'][0]` record accessors,
 * `$TAG` and `$TAG[n]` expanded per record. A token ends at `.`, space, `,` or `"`
 * outside quotes; a missing key expands to the empty string.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const t = compileRecordTemplate("$TAG[1]-$kubernetes['pod'].x");
 * assertEquals(t.render("kube.web", { kubernetes: { pod: "p1" } }), "web-p1.x");
 * assertEquals(t.dynamic, true);
 * assertEquals(t.render("kube.web", {}), "web-.x");
 * assertEquals(t.renderChecked("kube.web", {}), undefined);
 * ```
 */
import { compileAccessor, type RecordAccessor } from "./record_accessor.ts";
import type { RecordMap } from "./log_record.ts";

type Part = string | { tagIndex: number | null } | RecordAccessor;

/** A compiled template. */
export interface RecordTemplate {
  /** The template as written. */
  readonly pattern: string;
  /** True when it reads record keys (`$TAG` alone keeps it static). */
  readonly dynamic: boolean;
  /** The accessors it reads, in order. */
  readonly accessors: readonly RecordAccessor[];
  /** The text for a record of `tag` with `body`. */
  render(tag: string, body?: RecordMap): string;
  /**
   * As {@link render}, but undefined when a key it reads is missing from `body`
   * (`flb_ra_translate_check` with check on).
   */
  renderChecked(tag: string, body: RecordMap): string | undefined;
}

const TOKEN =
  /\$TAG\[(\d+)\]|\$TAG|\$[^\s.,"\[$]+(?:\[\s*(?:'(?:[^']|'')*'|"(?:[^"]|"")*"|\d+)\s*\])*/g;

/** Compiles `template`; throws SyntaxError on a bad record accessor. */
export function compileRecordTemplate(template: string): RecordTemplate {
  const parts: Part[] = [];
  const accessors: RecordAccessor[] = [];
  let at = 0;
  for (const m of template.matchAll(TOKEN)) {
    if (m.index > at) parts.push(template.slice(at, m.index));
    if (m[0] === "$TAG" || m[0].startsWith("$TAG[")) {
      parts.push({ tagIndex: m[1] === undefined ? null : Number(m[1]) });
    } else {
      const ra = compileAccessor(m[0]);
      parts.push(ra);
      accessors.push(ra);
    }
    at = m.index + m[0].length;
  }
  if (at < template.length) parts.push(template.slice(at));
  return {
    pattern: template,
    dynamic: accessors.length > 0,
    accessors,
    render(tag: string, body: RecordMap = {}): string {
      return translate(parts, tag, body, false)!;
    },
    renderChecked(tag: string, body: RecordMap): string | undefined {
      return translate(parts, tag, body, true);
    },
  };
}

function translate(
  parts: readonly Part[],
  tag: string,
  body: RecordMap,
  check: boolean,
): string | undefined {
  let out = "";
  for (const p of parts) {
    if (typeof p === "string") out += p;
    else if ("tagIndex" in p) {
      out += p.tagIndex === null ? tag : tag.split(".")[p.tagIndex] ?? "";
    } else {
      const v = p.get(body);
      if (v === undefined && check) return undefined;
      out += templateText(v);
    }
  }
  return out;
}

/**
 * A value as a template writes it: strings as they are, integers in decimal, floats with
 * six decimals (`%f`), booleans, `null`, bytes as lowercase hex, maps and arrays as JSON;
 * the empty string for a missing value.
 */
export function templateText(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "bigint":
      return value.toString();
    case "number":
      return Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 63
        ? String(value)
        : value.toFixed(6);
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "";
    case "object": {
      if (value === null) return "null";
      if (value instanceof Uint8Array) {
        let s = "";
        for (const b of value) s += b.toString(16).padStart(2, "0");
        return s;
      }
      return JSON.stringify(value, (_k, v) => typeof v === "bigint" ? v.toString() : v);
    }
    default:
      return "";
  }
}
