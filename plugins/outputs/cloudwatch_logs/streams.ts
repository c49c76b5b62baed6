/**
 * Which log group and stream a record goes to: `log_group_template` / `log_stream_template`
 * when every key they name is in the record, else `log_group_name` and `log_stream_name`
 * (or `log_stream_prefix` + tag), as Fluent Bit's get_log_stream decides.
 */
import { compileAccessor, valueText } from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";

type Part = string | { tagIndex: number | null } | ReturnType<typeof compileAccessor>;

const TOKEN = /\$TAG\[(\d+)\]|\$TAG|\$[A-Za-z_][\w.-]*(?:\[(?:'[^']*'|"[^"]*"|\d+)\])*/g;

/** A compiled name template. */
export interface NameTemplate {
  /** The name for a record of `tag`, or undefined when a key it names is missing. */
  render(tag: string, body: RecordMap): string | undefined;
}

/**
 * Compiles a record accessor template; throws SyntaxError on a bad accessor.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const t = compileNameTemplate("app-$kubernetes['ns']-$TAG[1]");
 * assertEquals(t.render("kube.web", { kubernetes: { ns: "prod" } }), "app-prod-web");
 * assertEquals(t.render("kube.web", {}), undefined);
 * ```
 */
export function compileNameTemplate(template: string): NameTemplate {
  const parts: Part[] = [];
  let at = 0;
  for (const m of template.matchAll(TOKEN)) {
    if (m.index! > at) parts.push(template.slice(at, m.index));
    if (m[0].startsWith("$TAG")) {
      parts.push({ tagIndex: m[1] === undefined ? null : Number(m[1]) });
    } else parts.push(compileAccessor(m[0]));
    at = m.index! + m[0].length;
  }
  if (at < template.length) parts.push(template.slice(at));
  return {
    render(tag, body) {
      let out = "";
      for (const p of parts) {
        if (typeof p === "string") out += p;
        else if ("tagIndex" in p) {
          const piece = p.tagIndex === null ? tag : tag.split(".")[p.tagIndex];
          if (piece === undefined) return undefined;
          out += piece;
        } else {
          const text = valueText(p.get(body));
          if (text === undefined) return undefined;
          out += text;
        }
      }
      return out;
    },
  };
}

/** The naming rules of one output. */
export interface StreamNaming {
  /** `log_group_name`. */
  group: string;
  /** `log_stream_name`. */
  stream?: string;
  /** `log_stream_prefix`. */
  prefix?: string;
  /** `log_group_template`, compiled. */
  groupTemplate?: NameTemplate;
  /** `log_stream_template`, compiled. */
  streamTemplate?: NameTemplate;
}

/** The group and stream of a record of `tag`. */
export function streamOf(
  naming: StreamNaming,
  tag: string,
  body: RecordMap,
): { group: string; stream: string } {
  const group = naming.groupTemplate?.render(tag, body) || naming.group;
  const stream = naming.streamTemplate?.render(tag, body) || naming.stream ||
    `${naming.prefix ?? ""}${tag}`;
  return { group, stream };
}
