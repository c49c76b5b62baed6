/**
 * The textfile collector (opt-in): the Prometheus text exposition of `*.prom` files in
 * `collector.textfile.path` (a directory, or one file), with node_textfile_mtime_seconds and
 * node_textfile_scrape_error as node_exporter adds them. Histogram and summary series are
 * carried as untyped series under their own names (_bucket, _sum, _count).
 */
import type { Families, FamilyType } from "../families.ts";
import { lines } from "../host_files.ts";
import type { Collector } from "./types.ts";
import { lexSample, type SampleLine } from "../../../../src/metrics/prometheus/lexer.ts";

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
    let sample: SampleLine;
    try {
      sample = lexSample(t, 512);
    } catch {
      bad.push(line);
      continue;
    }
    const labels: Record<string, string> = {};
    for (let i = 0; i < sample.labels.length; i += 2) {
      labels[sample.labels[i]!] = sample.labels[i + 1]!;
    }
    const name = sample.name;
    const declared = type.get(name);
    const kind: FamilyType = declared === "counter" || declared === "gauge" ? declared : "untyped";
    out.add(kind, name, help.get(name) ?? `Metric read from ${source}`, sample.value, labels);
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
