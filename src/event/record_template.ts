/**
 * Fluent Bit's template translation (`flb_ra_translate`), used for Loki labels and
 * Splunk's event host and source: literal text with `$key['sub'][0]` record accessors,
 * `$TAG` and `$TAG[n]` expanded per record (and `$0`..`$9`, a regex's captures, for
 * rewrite_tag's tags). A token ends at `.`, space, `,` or `"`
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
 * const alert = compileRecordTemplate("alert.$1.$TAG", { captures: true });
 * assertEquals(alert.render("app", {}, ["error", "error"]), "alert.error.app");
 * ```
 */
import { compileAccessor, type RecordAccessor } from "./record_accessor.ts";
import type { RecordMap } from "./log_record.ts";

type Part = string | { tagIndex: number | null } | { group: number } | RecordAccessor;

/** A compiled template. */
export interface RecordTemplate {
  /** The template as written. */
  readonly pattern: string;
  /** True when it reads record keys (`$TAG` alone keeps it static). */
  readonly dynamic: boolean;
  /** The accessors it reads, in order. */
  readonly accessors: readonly RecordAccessor[];
  /**
   * The text for a record of `tag` with `body`; with `captures`, `groups` are a regex's
   * captures (`$0` the whole match, a missing one the empty string).
   */
  render(tag: string, body?: RecordMap, groups?: readonly (string | undefined)[]): string;
  /**
   * As {@link render}, but undefined when a key it reads is missing from `body`
   * (`flb_ra_translate_check` with check on).
   */
  renderChecked(tag: string, body: RecordMap): string | undefined;
}

const TOKEN_SOURCE = String
  .raw`\$TAG\[(?<tagIndex>\d+)\]|\$TAG|\$[^\s.,"\[$]+(?:\[\s*(?:'(?:[^']|'')*'|"(?:[^"]|"")*"|\d+)\s*\])*`;
const TOKEN = new RegExp(TOKEN_SOURCE, "g");
const CAPTURE_TOKEN = new RegExp(String.raw`\$(?<group>\d)|` + TOKEN_SOURCE, "g");

/** How a template reads `$0`..`$9`. */
export interface RecordTemplateOptions {
  /** `$0`..`$9` are a regex's captures (rewrite_tag's tags), not record keys. */
  captures?: boolean;
}

/** Compiles `template`; throws SyntaxError on a bad record accessor. */
export function compileRecordTemplate(
  template: string,
  options: RecordTemplateOptions = {},
): RecordTemplate {
  const parts: Part[] = [];
  const accessors: RecordAccessor[] = [];
  let at = 0;
  for (const m of template.matchAll(options.captures ? CAPTURE_TOKEN : TOKEN)) {
    if (m.index > at) parts.push(template.slice(at, m.index));
    const group = m.groups?.group;
    if (group !== undefined) parts.push({ group: Number(group) });
    else if (m[0] === "$TAG" || m[0].startsWith("$TAG[")) {
      const index = m.groups?.tagIndex;
      parts.push({ tagIndex: index === undefined ? null : Number(index) });
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
    render(tag: string, body: RecordMap = {}, groups = []): string {
      return translate(parts, { tag, body, groups, check: false })!;
    },
    renderChecked(tag: string, body: RecordMap): string | undefined {
      return translate(parts, { tag, body, groups: [], check: true });
    },
  };
}

function translate(
  parts: readonly Part[],
  o: { tag: string; body: RecordMap; groups: readonly (string | undefined)[]; check: boolean },
): string | undefined {
  let out = "";
  let tagParts: string[] | undefined;
  for (const p of parts) {
    if (typeof p === "string") out += p;
    else if ("group" in p) out += o.groups[p.group] ?? "";
    else if ("tagIndex" in p) {
      out += p.tagIndex === null ? o.tag : (tagParts ??= o.tag.split("."))[p.tagIndex] ?? "";
    } else {
      const v = p.get(o.body);
      if (v === undefined && o.check) return undefined;
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
