/**
 * Helpers for the delivery tests: run a YAML config in-process (real plugins, real
 * files, a real HTTP receiver) with a metrics registry the test can read, and write
 * numbered input lines whose delivery can be checked one by one.
 */
import { loadConfigFile } from "../src/config/load.ts";
import { resolveConfig } from "../src/config/resolve.ts";
import { Logger, memorySink } from "../src/engine/log.ts";
import { MetricsRegistry } from "../src/engine/metrics.ts";
import { runService } from "../src/service.ts";
import { registry } from "../plugins/registry.ts";

/** A service started by a test. */
export interface RunningService {
  metrics: MetricsRegistry;
  /** Everything sluice logged. */
  lines: string[];
  /** The exit code, once the service has stopped by itself or by `stop`. */
  done: Promise<number>;
  /** Asks for a graceful stop (as SIGTERM) and waits for the exit code. */
  stop(): Promise<number>;
  /** Sums a metric family over every series whose `name` label is `name` (or all). */
  value(family: string, name?: string): number;
}

/** Writes `yaml` (with `${DIR}` replaced by `dir`) to `dir/sluice.yaml` and runs it. */
export async function startService(dir: string, yaml: string): Promise<RunningService> {
  const path = `${dir}/sluice.yaml`;
  await Deno.writeTextFile(path, yaml.replaceAll("${DIR}", dir));
  const config = resolveConfig(await loadConfigFile(path), registry);
  const metrics = new MetricsRegistry();
  const sink = memorySink();
  let requestStop!: () => void;
  const stopped = new Promise<void>((resolve) => (requestStop = resolve));
  const done = runService(config, {
    log: new Logger({
      level: (Deno.env.get("SLUICE_TEST_LOG") ?? config.service.log_level) as "info",
      sink,
    }),
    stop: stopped,
    metrics,
  });
  return {
    metrics,
    lines: sink.lines,
    done,
    stop() {
      requestStop();
      return done;
    },
    value(family, name) {
      let n = 0;
      for (const s of metrics.families.get(family)?.series.values() ?? []) {
        if (name === undefined || s.labels.name === name) n += s.value;
      }
      return n;
    },
  };
}

/** The line with id `i`: `id=<i> ` padded to about `width` bytes. */
export function numberedLine(i: number, width = 100): string {
  return `id=${i} `.padEnd(width, "x");
}

/** Appends lines `from` to `to - 1` to `path`. */
export async function appendLines(path: string, from: number, to: number): Promise<void> {
  let text = "";
  for (let i = from; i < to; i++) text += numberedLine(i) + "\n";
  await Deno.writeTextFile(path, text, { append: true });
}

/** The ids in delivered records (`log` holding a numbered line), with how often each came. */
export function idCounts(records: readonly Record<string, unknown>[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of records) {
    const m = /^id=(\d+) /.exec(String(r.log));
    if (!m) continue;
    const id = Number(m[1]);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Ids in `0..n-1` never delivered. */
export function missingIds(counts: Map<number, number>, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (!counts.has(i)) out.push(i);
  return out;
}

/** What {@link tailToHttp} adds to its config; each list holds `key: value` lines. */
export interface TailToHttpOptions {
  /** `service.grace` in seconds (default 10). */
  grace?: number;
  /** `scheduler.cap` in seconds (default 0.2). */
  schedulerCap?: number;
  /** More keys of the `service` section. */
  service?: readonly string[];
  /** More keys of the tail input. */
  input?: readonly string[];
  /** More keys of the http output. */
  output?: readonly string[];
  /** YAML put after the http output as it is (another output). */
  after?: string;
}

/**
 * The delivery tests' pipeline: tail `${DIR}/in.log` from its head to its end, then an
 * http output to 127.0.0.1:`port` in JSON lines, with a fast flush and fast retries.
 */
export function tailToHttp(port: number, options: TailToHttpOptions = {}): string {
  const keys = (lines: readonly string[] | undefined, indent: string) =>
    (lines ?? []).map((l) => `${indent}${l}\n`).join("");
  return `
service:
  flush: 0.05
  grace: ${options.grace ?? 10}
  log_level: error
  scheduler.base: 0.05
  scheduler.cap: ${options.schedulerCap ?? 0.2}
${keys(options.service, "  ")}pipeline:
  inputs:
    - name: tail
      path: \${DIR}/in.log
      read_from_head: true
      exit_on_eof: true
      buffer_chunk_size: 16k
${keys(options.input, "      ")}  outputs:
    - name: http
      match: "*"
      port: ${port}
      format: json_lines
${keys(options.output, "      ")}${options.after ?? ""}`;
}
