/**
 * Helpers of the node_exporter peer test and benchmark: start Prometheus's node_exporter
 * (`prometheus-node-exporter`, Debian) on 127.0.0.1, scrape it, and read sluice's metrics
 * exposition back as families.
 */
import { addExposition } from "../plugins/inputs/node_exporter_metrics/collectors/textfile.ts";
import { Families, type Family } from "../plugins/inputs/node_exporter_metrics/families.ts";

/** The node_exporter binary, or null when it is not installed. */
export async function nodeExporterPath(): Promise<string | null> {
  for (const p of ["/usr/bin/prometheus-node-exporter", "/usr/local/bin/node_exporter"]) {
    try {
      if ((await Deno.stat(p)).isFile) return p;
    } catch {
      // not there
    }
  }
  return null;
}

/** The message a test prints when it skips for want of node_exporter. */
export const NO_NODE_EXPORTER =
  "skipped: prometheus-node-exporter not installed (apt-get install prometheus-node-exporter)";

/** A free TCP port on 127.0.0.1. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A running node_exporter. */
export interface NodeExporter {
  child: Deno.ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts node_exporter with only `collectors` on, on a free port; resolves once it answers. */
export async function startNodeExporter(
  bin: string,
  collectors: readonly string[],
  extraArgs: readonly string[] = [],
): Promise<NodeExporter> {
  const port = freePort();
  const child = new Deno.Command(bin, {
    args: [
      `--web.listen-address=127.0.0.1:${port}`,
      "--collector.disable-defaults",
      ...collectors.map((c) => `--collector.${c}`),
      ...extraArgs,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const url = `http://127.0.0.1:${port}/metrics`;
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // gone
    }
    await child.stderr.cancel().catch(() => {});
    await child.status;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.ok) return { child, url, stop };
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`node_exporter did not answer on ${url} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Families of an exposition text, by name. */
export function parseExposition(text: string): Map<string, Family> {
  const f = new Families(0n);
  const bad = addExposition(text, f);
  if (bad.length) throw new SyntaxError(`unparsable exposition line: ${bad[0]}`);
  return new Map(f.list().map((x) => [x.name, x]));
}

/** A scrape of `url`, parsed. */
export async function scrape(url: string): Promise<Map<string, Family>> {
  const r = await fetch(url);
  return parseExposition(await r.text());
}

/** The sorted label names of a family's series (as one string per distinct set). */
export function labelSets(f: Family): string[] {
  return [...new Set(f.samples.map((s) => Object.keys(s.labels).sort().join(",")))].sort();
}

/** A series' value by its labels, or undefined. */
export function valueOf(
  f: Family | undefined,
  labels: Record<string, string> = {},
): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  return f?.samples.find((s) => JSON.stringify(Object.entries(s.labels).sort()) === want)?.value;
}
