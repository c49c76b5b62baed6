/**
 * `deno task bench:log-to-metrics`: log records/s through the log_to_metrics filter in counter
 * and histogram modes (dummy → log_to_metrics → null for the logs, its metrics → another
 * null), side by side with Fluent Bit 4.2.8 on the same YAML config. The dummy asks for a
 * million records a second (1000 records, 1000 times a second); after a warm-up the logs
 * null output's count (`/api/v1/metrics`, served by both) and the process's CPU time are read
 * over a fixed window. Two emission modes: a 1 s flush interval (the metric sent once a
 * second), and none (sluice: a snapshot per chunk; Fluent Bit: one per record). Figures:
 * records/s, CPU-s per million records, peak RSS; the ratio sluice/Fluent Bit.
 */
import { until } from "../src/testing/until.ts";
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import {
  freePort,
  loadAverage,
  processCpuSeconds,
  processPeakRssMb,
  sluiceCommand,
} from "./measure.ts";

const WINDOW_S = Number(Deno.env.get("BENCH_WINDOW_S") ?? 5);
const WARMUP_S = 1;

const MODES: Record<string, string> = {
  counter: `      metric_mode: counter
      label_field: status
      add_label: path $path`,
  histogram: `      metric_mode: histogram
      value_field: latency
      label_field: status
      add_label: path $path`,
};

function config(httpPort: number, mode: string | null, interval: boolean): string {
  const filter = mode === null ? "" : `  filters:
    - name: log_to_metrics
      match: app
      tag: m
      metric_name: requests
      metric_description: Requests
${MODES[mode]}${interval ? "\n      flush_interval_sec: 1" : ""}
`;
  return `service:
  flush: 0.2
  log_level: error
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${httpPort}
pipeline:
  inputs:
    - name: dummy
      tag: app
      dummy: '{"message":"GET /a 200","status":"200","path":"/a","latency":0.042}'
      rate: 1000
      copies: 1000
${filter}  outputs:
    - name: "null"
      alias: logs
      match: app
    - name: "null"
      alias: metrics
      match: m
`;
}

/** Records the `logs` output has processed, or -1 while the API does not answer. */
async function logRecords(httpPort: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${httpPort}/api/v1/metrics`, {
      headers: { connection: "close" },
      signal: AbortSignal.timeout(2000),
    });
    const body = await res.json() as { output?: Record<string, { proc_records?: number }> };
    return body.output?.logs?.proc_records ?? -1;
  } catch {
    return -1;
  }
}

interface Result {
  rate: number;
  cpuPerMillion: number;
  peakRssMb: number;
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

async function run(cmd: (config: string) => string[], yaml: (port: number) => string) {
  const httpPort = freePort();
  const path = await Deno.makeTempFile({ prefix: "sluice_bench_l2m_", suffix: ".yaml" });
  await Deno.writeTextFile(path, yaml(httpPort));
  const [bin, ...args] = cmd(path);
  const child = new Deno.Command(bin!, { args, stdout: "null", stderr: "null" }).spawn();
  try {
    await until(async () => (await logRecords(httpPort)) >= 0, "the monitoring API", {
      timeout: 20_000,
      interval: 20,
    });
    await sleep(WARMUP_S);
    const c0 = await logRecords(httpPort), t0 = performance.now();
    const cpu0 = await processCpuSeconds(child.pid);
    await sleep(WINDOW_S);
    const c1 = await logRecords(httpPort), t1 = performance.now();
    const cpu1 = await processCpuSeconds(child.pid);
    const records = c1 - c0;
    return {
      rate: records / ((t1 - t0) / 1000),
      cpuPerMillion: records > 0 ? (cpu1 - cpu0) * 1e6 / records : NaN,
      peakRssMb: await processPeakRssMb(child.pid),
    } satisfies Result;
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(path);
  }
}

function line(name: string, r: Result): string {
  return `${name.padEnd(40)} ${Math.round(r.rate).toLocaleString("en-US").padStart(12)} ` +
    `records/s  ${r.cpuPerMillion.toFixed(2).padStart(6)} CPU-s/1M  ` +
    `${r.peakRssMb.toFixed(1).padStart(7)} MB peak RSS  (load ${loadAverage()})`;
}

const { entry, cmd: sluice } = await sluiceCommand();
const fb = await fluentBitPath();
console.log(
  `log_to_metrics: dummy (1000 x 1000/s) -> log_to_metrics -> null, ${WINDOW_S} s windows, ` +
    `sluice (${entry}) beside Fluent Bit 4.2.8${fb ? "" : " (peer not found: sluice only)"}; ` +
    `2 shared cores, load average shown per line`,
);
const runs: [string | null, boolean][] = [
  [null, false],
  ...[true, false].flatMap((i) => Object.keys(MODES).map((m): [string, boolean] => [m, i])),
];
for (const [mode, interval] of runs) {
  const name = mode === null
    ? "(no filter: baseline)"
    : `${mode}, ${interval ? "flush_interval_sec 1" : "no interval"}`;
  const yaml = (port: number) => config(port, mode, interval);
  const s = await run((c) => [...sluice, "-c", c], yaml);
  console.log(line(`sluice     ${name}`, s));
  if (!fb) continue;
  const f = await run((c) => [fb, "-c", c], yaml);
  console.log(line(`fluent-bit ${name}`, f));
  console.log(
    `${"".padEnd(42)} ratio sluice/fluent-bit: ${(s.rate / f.rate).toFixed(2)}x records/s, ` +
      `${(s.cpuPerMillion / f.cpuPerMillion).toFixed(2)}x CPU-s per record, ` +
      `${(s.peakRssMb / f.peakRssMb).toFixed(2)}x RSS`,
  );
}
