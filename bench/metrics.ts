/**
 * `deno task bench:metrics`: prometheus_scrape -> prometheus_remote_write for a target of
 * 100,000 series (generated here: 1,000 families of counters and gauges, 100 series each,
 * three labels), scraped every second, into a remote-write sink here that unsnappies each
 * request and counts its TimeSeries. Per scrape, the time from the target's answer to the
 * sink holding all of its series gives series/s; peak RSS and CPU come from GNU time. Fluent
 * Bit's same pipeline runs beside it when its binary is present, and the ratio is printed.
 */
import { countTimeSeries } from "../src/metrics/prometheus/remote_write.ts";
import { unsnappyBlock } from "../src/net/http_client/compress.ts";
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import {
  freePort,
  loadAverage,
  type MeasuredProcess,
  type Measurement,
  sluiceCommand,
  startMeasured,
} from "./measure.ts";

const PER_FAMILY = 100;
/** Target sizes (series); the is 100,000. */
const SIZES = (Deno.env.get("BENCH_SIZES") ?? "100000,10000").split(",").map(Number);
const SCRAPES = Number(Deno.env.get("BENCH_SCRAPES") ?? 8);
/** Longest a side runs, whatever it delivered by then. */
const WINDOW_MS = Number(Deno.env.get("BENCH_WINDOW_S") ?? 60) * 1000;

function exposition(families: number): Uint8Array {
  const lines: string[] = [];
  for (let f = 0; f < families; f++) {
    const counter = f % 2 === 0;
    const name = counter ? `bench_requests_${f}_total` : `bench_inflight_${f}`;
    lines.push(
      `# HELP ${name} Generated family ${f}.`,
      `# TYPE ${name} ${counter ? "counter" : "gauge"}`,
    );
    for (let s = 0; s < PER_FAMILY; s++) {
      const v = counter ? (f * 1000 + s) * 7 : ((f + s) % 97) + 0.25;
      lines.push(
        `${name}{instance="host-${s % 10}",path="/api/v1/item/${s}",code="${200 + (s % 5)}"} ${v}`,
      );
    }
  }
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

interface Timeline {
  scrapes: number[];
  received: { at: number; total: number }[];
  total: number;
}

function startPeers(
  body: Uint8Array,
): { target: Deno.HttpServer; sink: Deno.HttpServer; t: Timeline } {
  const t: Timeline = { scrapes: [], received: [], total: 0 };
  const target = Deno.serve({ hostname: "127.0.0.1", port: freePort(), onListen() {} }, (req) => {
    if (new URL(req.url).pathname !== "/metrics") return new Response(null, { status: 404 });
    t.scrapes.push(performance.now());
    return new Response(body as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": "text/plain; version=0.0.4" },
    });
  });
  const sink = Deno.serve(
    { hostname: "127.0.0.1", port: freePort(), onListen() {} },
    async (req) => {
      const raw = new Uint8Array(await req.arrayBuffer());
      const body = req.headers.get("content-encoding") === "snappy" ? unsnappyBlock(raw) : raw;
      t.total += countTimeSeries(body);
      t.received.push({ at: performance.now(), total: t.total });
      return new Response(null, { status: 204 });
    },
  );
  return { target, sink, t };
}

function config(targetPort: number, sinkPort: number): string {
  return `service:
  flush: 0.2
  log_level: warn
pipeline:
  inputs:
    - name: prometheus_scrape
      host: 127.0.0.1
      port: ${targetPort}
      scrape_interval: 1s
      buffer_max_size: 64M
      tag: scraped
  outputs:
    - name: prometheus_remote_write
      match: scraped
      host: 127.0.0.1
      port: ${sinkPort}
      uri: /api/v1/write
      retry_limit: 1
`;
}

interface Result {
  name: string;
  /** Series per second of processing: SERIES / median scrape latency, or delivered / window. */
  seriesPerSec: number;
  /** Median ms from a scrape to all its series at the sink; NaN when no scrape completed. */
  medianMs: number;
  delivered: number;
  /** Seconds the side ran. */
  ranS: number;
  cpu: number;
  peakRssMb: number;
}

/** Per scrape k: ms from its request to the sink holding k × `series` series. */
function latencies(t: Timeline, series: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= t.scrapes.length; k++) {
    const done = t.received.find((r) => r.total >= k * series);
    if (done === undefined) break;
    out.push(done.at - t.scrapes[k - 1]!);
  }
  return out;
}

async function run(
  name: string,
  series: number,
  cmd: (configPath: string) => string[],
): Promise<Result> {
  const body = exposition(Math.ceil(series / PER_FAMILY));
  const { target, sink, t } = startPeers(body);
  const dir = await Deno.makeTempDir({ prefix: "sluice_bench_metrics_" });
  const path = `${dir}/${name}.yaml`;
  await Deno.writeTextFile(
    path,
    config((target.addr as Deno.NetAddr).port, (sink.addr as Deno.NetAddr).port),
  );
  const started = performance.now();
  const proc = startMeasured(cmd(path));
  const deadline = started + WINDOW_MS;
  while (t.total < SCRAPES * series && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const ranS = (performance.now() - started) / 1000;
  const m = await stopWithin(proc, 15_000);
  await target.shutdown();
  await sink.shutdown();
  await Deno.remove(dir, { recursive: true });
  const lat = latencies(t, series).slice(1).sort((a, b) => a - b); // the first scrape warms up
  const median = lat[Math.floor(lat.length / 2)] ?? NaN;
  const first = t.scrapes[0] ?? started;
  const last = t.received.at(-1)?.at ?? performance.now();
  return {
    name,
    seriesPerSec: Number.isNaN(median)
      ? t.total / Math.max(0.001, (last - first) / 1000)
      : series / (median / 1000),
    medianMs: median,
    delivered: t.total,
    ranS,
    cpu: m.cpu,
    peakRssMb: m.peakRssMb,
  };
}

/** Stops `proc` (SIGTERM); SIGKILLs what is left of it after `ms` (Fluent Bit can hang). */
async function stopWithin(proc: MeasuredProcess, ms: number): Promise<Measurement> {
  const pid = await proc.pid();
  const pending = proc.stop();
  const timer = setTimeout(() => {
    try {
      if (pid > 0) Deno.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }, ms);
  try {
    return await pending;
  } finally {
    clearTimeout(timer);
  }
}

function line(r: Result, series: number): string {
  const how = Number.isNaN(r.medianMs)
    ? "no scrape completed: delivered / time"
    : `median ${r.medianMs.toFixed(0)} ms per ${series.toLocaleString("en-US")}-series scrape`;
  return `${r.name.padEnd(12)} ${
    Math.round(r.seriesPerSec).toLocaleString("en-US").padStart(10)
  } ` +
    `series/s  (${how})  ${r.cpu.toFixed(2)} CPU-s  ${r.peakRssMb.toFixed(1)} MB peak RSS  ` +
    `[${r.delivered.toLocaleString("en-US")} series delivered in ${r.ranS.toFixed(1)} s]`;
}

const { entry, cmd: sluice } = await sluiceCommand();
const fb = await fluentBitPath();
for (const series of SIZES) {
  console.log(
    `prometheus_scrape -> prometheus_remote_write, ${series.toLocaleString("en-US")} series, ` +
      `${SCRAPES} scrapes (${entry}); load average ${loadAverage()}`,
  );
  const ours = await run("sluice", series, (path) => [...sluice, "-c", path]);
  console.log(line(ours, series));
  if (fb === null) {
    console.log("Fluent Bit: skipped (binary not found)");
    continue;
  }
  const theirs = await run("fluent-bit", series, (path) => [fb, "-c", path]);
  console.log(line(theirs, series));
  const ratio = theirs.seriesPerSec > 0
    ? `${(ours.seriesPerSec / theirs.seriesPerSec).toFixed(2)}x`
    : "n/a (Fluent Bit delivered nothing)";
  console.log(
    `ratio sluice / Fluent Bit: ${ratio} series/s, ` +
      `${(ours.peakRssMb / theirs.peakRssMb).toFixed(2)}x peak RSS; load average ${loadAverage()}`,
  );
}
