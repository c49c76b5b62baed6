/**
 * The textfile collector (opt-in): the Prometheus text exposition of `*.prom` files in
 * `collector.textfile.path` (a directory, or one file), with node_textfile_mtime_seconds and
 * node_textfile_scrape_error as node_exporter adds them. Histogram and summary series are
 * carried as untyped series under their own names (_bucket, _sum, _count).
 */
import type { Families, FamilyType } from "../families.ts";
import { lines } from "../host_files.ts";
import type { Collector } from "./types.ts";

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;

function unescapeLabel(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

function parseLabels(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    LABEL.lastIndex = at;
    const m = LABEL.exec(text);
    if (!m) return text.slice(at).trim() === "" ? out : undefined;
    out[m[1]!] = unescapeLabel(m[2]!);
    at = LABEL.lastIndex;
  }
  return out;
}

function parseValue(s: string): number {
  if (s === "+Inf" || s === "Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  if (s === "NaN") return NaN;
  return Number(s);
}

/** Adds the series of exposition `text` to `out`; returns the lines it could not parse. */
export function addExposition(text: string, out: Families, source = "a textfile"): string[] {
  const help = new Map<string, string>();
  const type = new Map<string, string>();
  const bad: string[] = [];
  for (const line of lines(text)) {
    const t = line.trim();
    if (t.startsWith("#")) {
      const m = t.match(/^#\s+(HELP|TYPE)\s+(\S+)\s*(.*)$/);
      if (m?.[1] === "HELP") help.set(m[2]!, m[3]!);
      else if (m?.[1] === "TYPE") type.set(m[2]!, m[3]!.trim());
      continue;
    }
    const m = t.match(SAMPLE);
    const labels = m ? parseLabels(m[3] ?? "") : undefined;
    const value = m ? parseValue(m[4]!) : NaN;
    if (!m || !labels || (Number.isNaN(value) && m[4] !== "NaN")) {
      bad.push(line);
      continue;
    }
    const name = m[1]!;
    const declared = type.get(name);
    const kind: FamilyType = declared === "counter" || declared === "gauge" ? declared : "untyped";
    out.add(kind, name, help.get(name) ?? `Metric read from ${source}`, value, labels);
  }
  return bad;
}

/** The *.prom files of the textfile collector: metrics, mtimes and the error gauge. */
export const textfile: Collector = {
  name: "textfile",
  update({ files, settings }, out) {
    const given = settings.textfilePath;
    if (!given) return;
    const path = given.length > 1 ? given.replace(/\/+$/, "") : given;
    let paths: string[];
    try {
      paths = Deno.statSync(path).isDirectory
        ? files.list("textfile", path).filter((n) => n.endsWith(".prom")).map((n) => `${path}/${n}`)
        : [path];
    } catch {
      paths = [];
    }
    let error = 0;
    const mtimes: [string, number][] = [];
    for (const p of paths) {
      const text = files.read("textfile", p);
      if (text === undefined) {
        error = 1;
        continue;
      }
      const bad = addExposition(text, out, p);
      if (bad.length > 0) {
        error = 1;
        files.bad("textfile", "line", `${p}: ${bad[0]}`);
      }
      const mtime = Deno.statSync(p).mtime;
      if (mtime) mtimes.push([p, mtime.getTime() / 1000]);
    }
    for (const [file, t] of mtimes) {
      out.gauge(
        "node_textfile_mtime_seconds",
        "Unixtime mtime of textfiles successfully read.",
        t,
        {
          file,
        },
      );
    }
    out.gauge(
      "node_textfile_scrape_error",
      "1 if there was an error opening or reading a file, 0 otherwise",
      error,
    );
  },
};
