/**
 * `deno task bench:footprint`: the idle footprint of sluice beside Fluent Bit's, for edge hosts.
 * For two configs (tail -> http, the edge case; and `config.example.yaml`) it starts sluice from
 * main.ts, from the bundle dist/sluice.js, and Fluent Bit (`$FLUENT_BIT`, else the peer binary
 * in ../shared/peers; left out when absent), and prints:
 *   - start-to-ready: spawn until the monitoring port accepts a TCP connection (median of runs),
 *     and the CPU time the process had used by then (less coloured by a busy machine);
 *   - RSS (VmRSS), its anonymous part (RssAnon: the process's own memory; the rest is mostly
 *     the deno binary's pages, shared by every deno process) and peak RSS (VmHWM) from
 *     /proc/PID/status after the idle window;
 *   - CPU-seconds (utime + stime from /proc/PID/stat) over 30 s of idle.
 * The idle windows of all processes run at once (they are idle), after each has started alone.
 * `BENCH_V8_FLAGS` is passed to sluice as `--v8-flags`; `FOOTPRINT_IDLE` (s) and
 * `FOOTPRINT_RUNS` change the window and the number of start runs, `FOOTPRINT_SETTLE` (s) the
 * wait before the window (45 s: the first ~40 s after a start hold V8's after-start GCs, about
 * 0.07 CPU-s, which are not idle wake-ups).
 */
import { freePort, loadAverage, processCpuSeconds, processMemoryMb } from "./measure.ts";
import { editionsOf, type Variant } from "./footprint_variants.ts";

const root = new URL("..", import.meta.url).pathname;
const IDLE_S = Number(Deno.env.get("FOOTPRINT_IDLE") ?? 30);
const RUNS = Number(Deno.env.get("FOOTPRINT_RUNS") ?? 7);
/** Before the idle window: V8 finishes its after-start GCs (memory reducer) in ~45 s. */
const SETTLE_MS = Number(Deno.env.get("FOOTPRINT_SETTLE") ?? 45) * 1000;

/** What one variant measured. */
interface Figures {
  readyMs: number;
  readyCpuMs: number;
  rssMb: number;
  anonMb: number;
  hwmMb: number;
  cpuS: number;
}

const scratch = await Deno.makeTempDir({ prefix: "sluice_footprint_" });
const sink = startSink();
const variants = await editionsOf(root, scratch, sink.port);
console.log(
  `footprint: ${RUNS} start runs each, ${IDLE_S} s idle window; load average ${loadAverage()}`,
);

try {
  const results = new Map<Variant, Figures>();
  for (const v of variants) {
    const ready = [];
    const readyCpu = [];
    for (let i = 0; i < RUNS; i++) {
      const p = await startReady(v);
      ready.push(p.readyMs);
      readyCpu.push(p.cpuMs);
      await stop(p.child);
    }
    results.set(v, {
      readyMs: median(ready),
      readyCpuMs: median(readyCpu),
      rssMb: 0,
      anonMb: 0,
      hwmMb: 0,
      cpuS: 0,
    });
  }
  const running = [];
  for (const v of variants) running.push({ v, p: await startReady(v) });
  await sleep(SETTLE_MS);
  const before = await Promise.all(running.map(({ p }) => processCpuSeconds(p.child.pid)));
  await sleep(IDLE_S * 1000);
  for (const [i, { v, p }] of running.entries()) {
    const cpu = (await processCpuSeconds(p.child.pid)) - (before[i] ?? 0);
    const mem = await processMemoryMb(p.child.pid);
    const r = results.get(v);
    if (r) Object.assign(r, { cpuS: cpu, rssMb: mem.rss, anonMb: mem.anon, hwmMb: mem.hwm });
    await stop(p.child);
  }
  print(variants, results);
  console.log(`load average after: ${loadAverage()}; http sink got ${sink.requests()} requests`);
} finally {
  await sink.close();
  await Deno.remove(scratch, { recursive: true });
}

function print(variants: readonly Variant[], results: Map<Variant, Figures>): void {
  const head = `${"config".padEnd(16)} ${"program".padEnd(16)} ${"ready ms".padStart(9)} ` +
    `${"CPU ms".padStart(7)} ` +
    `${"RSS MB".padStart(7)} ${"anon MB".padStart(7)} ${"HWM MB".padStart(7)} ${
      `CPU-s/${IDLE_S}s`.padStart(10)
    }   ` +
    "ratios to Fluent Bit (ready, ready CPU, RSS, anon, idle CPU)";
  console.log(head);
  for (const v of variants) {
    const r = results.get(v);
    if (!r) continue;
    const fb = variants.find((o) => o.config === v.config && o.program === "fluent-bit");
    const base = fb ? results.get(fb) : undefined;
    const ratio = (a: number, b: number | undefined) =>
      b === undefined || b === 0 ? "-" : `${(a / b).toFixed(1)}x`;
    const ratios = base && v !== fb
      ? [
        ratio(r.readyMs, base.readyMs),
        ratio(r.readyCpuMs, base.readyCpuMs),
        ratio(r.rssMb, base.rssMb),
        ratio(r.anonMb, base.anonMb),
        ratio(r.cpuS, base.cpuS),
      ].join(", ")
      : "";
    console.log(
      `${v.config.padEnd(16)} ${v.program.padEnd(16)} ${r.readyMs.toFixed(0).padStart(9)} ` +
        `${r.readyCpuMs.toFixed(0).padStart(7)} ` +
        `${r.rssMb.toFixed(1).padStart(7)} ${r.anonMb.toFixed(1).padStart(7)} ${
          r.hwmMb.toFixed(1).padStart(7)
        } ` +
        `${r.cpuS.toFixed(2).padStart(10)}   ${ratios}`,
    );
  }
}

/** Spawns `v` and resolves once its port accepts a connection. */
async function startReady(
  v: Variant,
): Promise<{ child: Deno.ChildProcess; readyMs: number; cpuMs: number }> {
  const port = freePort();
  const [program, ...args] = v.command;
  if (program === undefined) throw new RangeError(`Cannot start ${v.program}: empty command`);
  const started = performance.now();
  const child = new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    cwd: scratch,
    env: { FOOTPRINT_PORT: String(port), HOSTNAME: "edge" },
  }).spawn();
  const stderr = new Response(child.stderr).text();
  while (performance.now() - started < 20_000) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      const readyMs = performance.now() - started;
      const cpuMs = (await processCpuSeconds(child.pid)) * 1000;
      conn.close();
      void stderr;
      return { child, readyMs, cpuMs };
    } catch {
      await sleep(2);
    }
  }
  child.kill("SIGKILL");
  await child.status;
  throw new Error(`${v.program} on ${v.config} did not listen within 20 s: ${await stderr}`);
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch { /* already gone */ }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 5000);
  await child.status;
  clearTimeout(timer);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A local HTTP endpoint answering 200 to what the http outputs send. */
function startSink(): { port: number; requests(): number; close(): Promise<void> } {
  let requests = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      await req.arrayBuffer();
      requests++;
      return new Response(null, { status: 200 });
    },
  );
  return {
    port: server.addr.port,
    requests: () => requests,
    close: () => server.shutdown(),
  };
}
