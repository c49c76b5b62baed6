/**
 * out_forward's `tag` template: `$TAG`, `$TAG[n]` (the n-th dot-separated part of the
 * record's tag) and record accessors like `$key` or `$kubernetes['namespace_name']`. A
 * template without record accessors is static: one tag per chunk, Forward mode. With one,
 * each record gets its own tag, and the output switches to Message mode, as Fluent Bit does.
 */
import {
  compileAccessor,
  type RecordAccessor,
  valueText,
} from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";

type Part = string | { tagIndex: number | null } | RecordAccessor;

/** A compiled tag template. */
export interface TagTemplate {
  /** True when the template reads records (so each record may get its own tag). */
  dynamic: boolean;
  /** The tag for a record of `tag`. */
  render(tag: string, body?: RecordMap): string;
}

const TOKEN = /\$TAG\[(\d+)\]|\$TAG|\$[A-Za-z_][\w.-]*(?:\[(?:'[^']*'|"[^"]*"|\d+)\])*/g;

/**
 * Compiles `template`; throws SyntaxError on a bad record accessor.
 *
 * @example
 * ```ts
 * compileTagTemplate("fw.$TAG[1]").render("app.web"); // "fw.web"
 * compileTagTemplate("$svc").render("t", { svc: "api" }); // "api"
 * ```
 */
export function compileTagTemplate(template: string): TagTemplate {
  const parts: Part[] = [];
  let at = 0;
  let dynamic = false;
  for (const m of template.matchAll(TOKEN)) {
    if (m.index! > at) parts.push(template.slice(at, m.index));
    if (m[0].startsWith("$TAG")) parts.push({ tagIndex: m[1] === undefined ? null : Number(m[1]) });
    else {
      parts.push(compileAccessor(m[0]));
      dynamic = true;
    }
    at = m.index! + m[0].length;
  }
  if (at < template.length) parts.push(template.slice(at));
  return {
    dynamic,
    render(tag, body = {}) {
      let out = "";
      for (const p of parts) {
        if (typeof p === "string") out += p;
        else if ("tagIndex" in p) {
          out += p.tagIndex === null ? tag : tag.split(".")[p.tagIndex] ?? "";
        } else out += valueText(p.get(body)) ?? "";
      }
      return out;
    },
  };
}
