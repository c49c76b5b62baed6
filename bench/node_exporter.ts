/**
 * `deno task bench:node-exporter`: CPU per scrape and idle RSS of sluice's
 * node_exporter_metrics (CLI, to the null output) next to Prometheus's node_exporter (its
 * /metrics scraped once a second) and Fluent Bit's node_exporter_metrics when the peer is
 * present, all with the same collectors (Fluent Bit's Linux defaults without systemd, which
 * needs systemd as PID 1). CPU is utime + stime from /proc/<pid>/stat over a window after
 * start-up, divided by the scrapes in it. BENCH_NE_SECONDS sets the window (default 15);
 * BENCH_NE_VERBOSE=1 prints the per-second RSS samples.
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { nodeExporterPath, startNodeExporter } from "../tests/_node_exporter.ts";
import { loadAverage, processCpuSeconds, processMemoryMb, sluiceCommand } from "./measure.ts";

const WINDOW_S = Number(Deno.env.get("BENCH_NE_SECONDS") ?? 15);
const WARMUP_MS = 3000;
const COLLECTORS = [
  "cpu",
  "cpufreq",
  "meminfo",
  "diskstats",
  "filesystem",
  "uname",
  "stat",
  "time",
  "loadavg",
  "vmstat",
  "netdev",
  "netstat",
  "sockstat",
  "filefd",
  "nvme",
  "thermal_zone",
  "hwmon",
];

/** utime + stime in seconds and VmRSS in MB of `pid`. */
async function usage(pid: number): Promise<{ cpu: number; rssMb: number }> {
  return { cpu: await processCpuSeconds(pid), rssMb: (await processMemoryMb(pid)).rss };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU over the window after warm-up, and the median and peak of RSS sampled each second. */
interface Figures {
  cpu: number;
  rssMb: number;
  peakMb: number;
}

/** Runs the collector process for the window, calling `tick` (a scrape) once a second. */
async function window(pid: number, tick?: () => Promise<void>): Promise<Figures> {
  await sleep(WARMUP_MS);
  const a = await usage(pid);
  const rss: number[] = [];
  for (let i = 0; i < WINDOW_S; i++) {
    const t = performance.now();
    await tick?.();
    await sleep(1000 - (performance.now() - t));
    rss.push((await usage(pid)).rssMb);
  }
  const b = await usage(pid);
  if (Deno.env.get("BENCH_NE_VERBOSE")) {
    console.log(`  RSS samples: ${rss.map((r) => r.toFixed(0)).join(" ")}`);
  }
  rss.sort((x, y) => x - y);
  return {
    cpu: b.cpu - a.cpu,
    rssMb: rss[Math.floor(rss.length / 2)] ?? 0,
    peakMb: rss.at(-1) ?? 0,
  };
}

function line(name: string, r: Figures): string {
  const perScrape = (r.cpu / WINDOW_S) * 1000;
  return `${name.padEnd(34)} ${perScrape.toFixed(1).padStart(7)} ms CPU/scrape  ` +
    `${r.rssMb.toFixed(1).padStart(6)} MB RSS median, ${r.peakMb.toFixed(1).padStart(6)} peak  ` +
    `(${WINDOW_S} scrapes, load ${loadAverage()})`;
}

const dir = await Deno.makeTempDir({ prefix: "sluice_bench_ne_" });
const yaml = (interval: string) =>
  [
    "service:",
    "  flush: 1",
    "  log_level: warn",
    "pipeline:",
    "  inputs:",
    "    - name: node_exporter_metrics",
    `      scrape_interval: ${interval}`,
    `      metrics: ${COLLECTORS.join(",")}`,
    "  outputs:",
    "    - name: null",
    "      match: '*'",
    "",
  ].join("\n");
await Deno.writeTextFile(`${dir}/sluice.yaml`, yaml("1"));
console.log(`node_exporter_metrics: ${COLLECTORS.length} collectors, one scrape a second`);

// sluice
const { cmd } = await sluiceCommand();
const sluice = new Deno.Command(cmd[0]!, {
  args: [...cmd.slice(1), "-c", `${dir}/sluice.yaml`],
  stdout: "null",
  stderr: "null",
}).spawn();
console.log(line("sluice node_exporter_metrics", await window(sluice.pid)));
sluice.kill("SIGTERM");
await sluice.status;
// the same process with a dummy input instead: what the runtime and engine hold without it
await Deno.writeTextFile(
  `${dir}/idle.yaml`,
  yaml("1").replace(
    / {4}- name: node_exporter_metrics\n.*\n.*\n/,
    "    - name: dummy\n      rate: 1\n",
  ),
);
const idle = new Deno.Command(cmd[0]!, {
  args: [...cmd.slice(1), "-c", `${dir}/idle.yaml`],
  stdout: "null",
  stderr: "null",
}).spawn();
console.log(line("sluice baseline (dummy rate 1)", await window(idle.pid)));
idle.kill("SIGTERM");
await idle.status;

// node_exporter
const neBin = await nodeExporterPath();
if (neBin) {
  const ne = await startNodeExporter(neBin, COLLECTORS);
  const scrape = async () => void (await (await fetch(ne.url)).text());
  console.log(line("prometheus-node-exporter", await window(ne.child.pid, scrape)));
  await ne.stop();
} else console.log("prometheus-node-exporter: not installed, skipped");

// Fluent Bit
const fb = await fluentBitPath();
if (fb) {
  await Deno.writeTextFile(
    `${dir}/fb.yaml`,
    yaml("1").replace("  log_level: warn", "  log_level: error"),
  );
  const child = new Deno.Command(fb, {
    args: ["-c", `${dir}/fb.yaml`],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await sleep(500);
  // the wrapper execs the binary: its pid is the process's
  console.log(line("fluent-bit node_exporter_metrics", await window(child.pid)));
  child.kill("SIGTERM");
  await child.status;
} else console.log("fluent-bit: peer not found, skipped");

await Deno.remove(dir, { recursive: true });
