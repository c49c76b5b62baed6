/**
 * `deno task bench:filters`: records/s through each of nest, rewrite_tag, throttle and
 * type_converter (dummy → filter → null), side by side with Fluent Bit 4.2.8 on the same YAML
 * config. The dummy input asks for a million records a second (1000 records, 1000 times a
 * second); after a warm-up the null output's count (`/api/v1/metrics`, served by both) and
 * the process's CPU time are read over a fixed window. Figures: records/s, CPU-s per million
 * records (the fair comparison when a collector keeps up with the dummy's million a second),
 * peak RSS (VmHWM).
 */
import { until } from "../src/testing/until.ts";
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { freePort, loadAverage, sluiceCommand } from "./measure.ts";
import { outputRecords } from "./stream_input.ts";

const WINDOW_S = Number(Deno.env.get("BENCH_WINDOW_S") ?? 5);
const WARMUP_S = 1;
const FILTERS: Record<string, string> = {
  "(none)": "",
  nest: `    - name: nest
      match: "*"
      operation: nest
      wildcard: [m*, level]
      nest_under: nested`,
  rewrite_tag: `    - name: rewrite_tag
      match: app
      rule: $message ^dummy re.$TAG false`,
  throttle: `    - name: throttle
      match: "*"
      rate: 1000000000
      window: 5
      interval: 1s`,
  type_converter: `    - name: type_converter
      match: "*"
      str_key: [code code_int int]
      int_key: [n n_str string]`,
};

function config(httpPort: number, filter: string): string {
  return `service:
  flush: 0.2
  log_level: warn
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${httpPort}
pipeline:
  inputs:
    - name: dummy
      tag: app
      dummy: '{"message":"dummy line","m1":"a","m2":2,"level":"info","code":"200","n":17}'
      rate: 1000
      copies: 1000
${filter ? `  filters:\n${filter}\n` : ""}  outputs:
    - name: "null"
      match: "*"
`;
}

interface Result {
  rate: number;
  cpuPerMillion: number;
  peakRssMb: number;
}

/** User + system CPU seconds of process `pid` so far. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
}

async function peakRssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
  return Number(kb ?? 0) / 1024;
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

async function run(cmd: (config: string) => string[], filter: string): Promise<Result> {
  const httpPort = freePort();
  const path = await Deno.makeTempFile({ prefix: "sluice_bench_filters_", suffix: ".yaml" });
  await Deno.writeTextFile(path, config(httpPort, filter));
  const [bin, ...args] = cmd(path);
  const child = new Deno.Command(bin!, { args, stdout: "null", stderr: "null" }).spawn();
  try {
    await until(async () => (await outputRecords(httpPort)) >= 0, "the monitoring API", {
      timeout: 20_000,
      interval: 20,
    });
    await sleep(WARMUP_S);
    const c0 = await outputRecords(httpPort), t0 = performance.now();
    const cpu0 = await cpuSeconds(child.pid);
    await sleep(WINDOW_S);
    const c1 = await outputRecords(httpPort), t1 = performance.now();
    const cpu1 = await cpuSeconds(child.pid);
    const records = c1 - c0;
    return {
      rate: records / ((t1 - t0) / 1000),
      cpuPerMillion: records > 0 ? (cpu1 - cpu0) * 1e6 / records : NaN,
      peakRssMb: await peakRssMb(child.pid),
    };
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(path);
  }
}

function line(name: string, r: Result): string {
  return `${name.padEnd(28)} ${
    Math.round(r.rate).toLocaleString("en-US").padStart(12)
  } records/s  ` +
    `${r.cpuPerMillion.toFixed(2).padStart(6)} CPU-s/1M  ${
      r.peakRssMb.toFixed(1).padStart(7)
    } MB peak RSS` +
    `  (load ${loadAverage()})`;
}

const { entry, cmd: sluice } = await sluiceCommand();
const fb = await fluentBitPath();
console.log(
  `filter benchmarks: dummy -> filter -> null, ${WINDOW_S} s windows, ` +
    `sluice (${entry}) beside Fluent Bit 4.2.8${fb ? "" : " (peer not found: sluice only)"}; ` +
    `2 shared cores, load average shown per line`,
);
for (const [name, filter] of Object.entries(FILTERS)) {
  const s = await run((c) => [...sluice, "-c", c], filter);
  console.log(line(`sluice     ${name}`, s));
  if (!fb) continue;
  const f = await run((c) => [fb, "-c", c], filter);
  console.log(line(`fluent-bit ${name}`, f));
  console.log(
    `${"".padEnd(30)} ratio sluice/fluent-bit: ${(s.rate / f.rate).toFixed(2)}x records/s, ` +
      `${(s.cpuPerMillion / f.cpuPerMillion).toFixed(2)}x CPU-s per record, ` +
      `${(s.peakRssMb / f.peakRssMb).toFixed(2)}x RSS`,
  );
}
