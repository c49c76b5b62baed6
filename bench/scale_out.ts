/**
 * Horizontal tail sampling: spans/s through sluice agents (OTLP in, trace-ID load balancing)
 * into 1 or 3 sluice aggregators (OTLP in, tail sampling, OTLP out to a counting sink), all
 * on this machine, and the CPU each tier spends per span, read from /proc for every process.
 * Runs: `plain-1` (agents with a plain output to one aggregator: the routing baseline),
 * `lb-1` and `lb-3`. Every trace's three spans are sent to three different agents.
 * spans/s is the time from the first request until every span is inside an aggregator's
 * sampler; the CPU figures run on until every trace is decided (decision_wait 10 s, long enough
 * that the agents' skew under load leaves no late spans) and every kept span reached the sink.
 *
 * Each run first sends 10000 warm-up traces and waits for their decisions, then measures the
 * idle CPU of every process for 3 s (subtracted from its figures).
 *
 * SPANS (default 150000) sets the load; REPEAT (default 2) the runs of each, best kept; AGENTS (default 3) the number of agents.
 */
import { encodeTraces } from "../src/otlp/mod.ts";
import type { Span } from "../src/event/span.ts";
import { testSpan } from "../src/testing/spans.ts";
import { agentYaml, aggregatorYaml, metricSum, startSink } from "../tests/_scale_out.ts";
import { postAll } from "./load.ts";
import { freePort, loadAverage, waitListening } from "./measure.ts";

const root = new URL("..", import.meta.url).pathname;
const SPANS = Number(Deno.env.get("SPANS") ?? 150_000);
const AGENTS = Number(Deno.env.get("AGENTS") ?? 3);
const PER_REQUEST = 1000;
const DECISION_WAIT_S = 10; // long enough that agent skew under load leaves few late spans
const TICKS = 100; // USER_HZ on Linux
const IDLE_MS = 3000;
const WARM_TRACES = 10_000;
const REPEAT = Number(Deno.env.get("REPEAT") ?? 2);

/** The bodies each agent gets: span `a` of every trace goes to agent `a % AGENTS`. */
function bodies(traces: number, offset: number): Uint8Array[][] {
  const resource = {
    attributes: { "service.name": "bench" },
    droppedAttributesCount: 0,
    schemaUrl: "",
  };
  const perAgent: Span[][] = Array.from({ length: AGENTS }, () => []);
  for (let t = 0; t < traces; t++) {
    const traceId = new Uint8Array(16);
    const view = new DataView(traceId.buffer);
    view.setUint32(0, 0x9e3779b1 * (t + offset + 1) >>> 0);
    view.setUint32(8, offset);
    view.setUint32(12, t);
    for (let s = 0; s < 3; s++) {
      const spanId = new Uint8Array(8);
      new DataView(spanId.buffer).setUint32(4, t * 3 + s + 1);
      perAgent[s % AGENTS]!.push(testSpan({
        resource,
        traceId,
        spanId,
        name: `op-${s}`,
        kind: 2,
        startTimeUnixNano: 1_700_000_000_000_000_000n,
        endTimeUnixNano: 1_700_000_000_010_000_000n,
        status: { code: t % 3 === 0 && s === 2 ? 2 : 0, message: "" },
      }));
    }
  }
  return perAgent.map((spans) => {
    const out: Uint8Array[] = [];
    for (let i = 0; i < spans.length; i += PER_REQUEST) {
      out.push(encodeTraces(spans.slice(i, i + PER_REQUEST), "protobuf"));
    }
    return out;
  });
}

function cpuSeconds(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime
}

interface Proc {
  child: Deno.ChildProcess;
  dir: string;
}

async function start(yaml: string): Promise<Proc> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_bench_scale_" });
  await Deno.writeTextFile(`${dir}/sluice.yaml`, yaml);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${root}main.ts`, "-c", `${dir}/sluice.yaml`],
    stdout: "null",
    stderr: "null",
    env: { NO_COLOR: "1" },
  }).spawn();
  return { child, dir };
}

async function stop(p: Proc): Promise<void> {
  try {
    p.child.kill("SIGTERM");
  } catch { /* gone */ }
  await p.child.status;
  await Deno.remove(p.dir, { recursive: true }).catch(() => {});
}

interface Figures {
  name: string;
  spansPerS: number;
  wall: number;
  aggCpuPerSpanUs: number;
  agentCpuPerSpanUs: number;
  perAggregatorCpu: number[];
  late: number;
  load: string;
}

async function run(
  name: string,
  aggregators: number,
  balanced: boolean,
  offset: number,
): Promise<Figures> {
  const traces = Math.floor(SPANS / 3);
  const load = bodies(traces, offset);
  const sink = startSink({ keepSpans: false });
  const aggPorts = Array.from({ length: aggregators }, freePort);
  const aggMetrics = aggPorts.map(() => freePort());
  const endpoints = aggPorts.map((p) => `127.0.0.1:${p}`);
  const aggs = await Promise.all(aggPorts.map((port, i) =>
    start(aggregatorYaml({
      name: `agg-${i}`,
      port,
      metricsPort: aggMetrics[i]!,
      sinkPort: sink.port,
      decisionWait: `${DECISION_WAIT_S}s`,
    }))
  ));
  const agentPorts = Array.from({ length: AGENTS }, freePort);
  const agents = await Promise.all(
    agentPorts.map((port) =>
      start(agentYaml({ port, metricsPort: freePort(), endpoints, balanced }))
    ),
  );
  try {
    await Promise.all([...aggPorts, ...agentPorts].map((p) => waitListening(p, "/v1/traces")));
    const sum = async (metric: string) => {
      const each = await Promise.all(aggMetrics.map((p) => metricSum(p, metric)));
      return each.reduce((x, y) => x + y, 0);
    };
    const send = (bodiesPerAgent: Uint8Array[][]) =>
      Promise.all(
        agentPorts.map((port, a) =>
          postAll(`http://127.0.0.1:${port}/v1/traces`, bodiesPerAgent[a]!, {
            requests: bodiesPerAgent[a]!.length,
            clients: 2,
            contentType: "application/x-protobuf",
            retryMs: 50,
          })
        ),
      );
    const settled = async (decisions: number) => {
      for (;;) {
        const decided = await sum("sluice_sampling_traces_kept_total") +
          await sum("sluice_sampling_traces_dropped_total");
        if (decided >= decisions && sink.count >= await sum("sluice_sampling_spans_out_total")) {
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // Warm up every process (JIT, connections) so the figures are its steady state.
    await send(bodies(WARM_TRACES, offset + 1000));
    await settled(WARM_TRACES);
    // Idle cost next (timers, flush ticks), so per-span figures count only the work.
    const procs = [...aggs, ...agents];
    const idle0 = procs.map((p) => cpuSeconds(p.child.pid));
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const cpu0 = procs.map((p) => cpuSeconds(p.child.pid));
    const idleRate = cpu0.map((c, i) => (c - idle0[i]!) / (IDLE_MS / 1000));
    const t0 = performance.now();
    await send(load);
    // The rate: until every span is inside an aggregator's sampler (decisions come later).
    while (await sum("sluice_sampling_spans_in_total") < (WARM_TRACES + traces) * 3) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const wall = (performance.now() - t0) / 1000;
    await settled(WARM_TRACES + traces);
    const late = await sum("sluice_sampling_late_spans_total");
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = procs.map((p, i) =>
      Math.max(0, cpuSeconds(p.child.pid) - cpu0[i]! - idleRate[i]! * elapsed)
    );
    const aggCpu = cpu.slice(0, aggregators);
    const agentCpu = cpu.slice(aggregators).reduce((x, y) => x + y, 0);
    const spans = traces * 3;
    return {
      name,
      spansPerS: spans / wall,
      wall,
      aggCpuPerSpanUs: aggCpu.reduce((x, y) => x + y, 0) / spans * 1e6,
      agentCpuPerSpanUs: agentCpu / spans * 1e6,
      perAggregatorCpu: aggCpu,
      late,
      load: loadAverage(),
    };
  } finally {
    await Promise.all([...agents, ...aggs].map(stop));
    await sink.close();
  }
}

function line(r: Figures): string {
  const rate = Math.round(r.spansPerS).toLocaleString("en-US").padStart(9);
  const per = r.perAggregatorCpu.map((c) => c.toFixed(1)).join(" + ");
  return `${r.name.padEnd(21)} ${rate} spans/s  ${r.wall.toFixed(2)} s  ` +
    `aggregators ${r.aggCpuPerSpanUs.toFixed(1)} CPU-us/span (${per} CPU-s)  ` +
    `agents ${r.agentCpuPerSpanUs.toFixed(1)} CPU-us/span  late spans ${r.late}  load ${r.load}`;
}

const cores = navigator.hardwareConcurrency;
console.log(
  `scale-out bench: ${SPANS} spans (${SPANS / 3} traces of 3 spans, each over ${AGENTS} agents), ` +
    `${cores} cores, load average ${loadAverage()} at start; tail sampling keeps 1 trace in 3`,
);
const configs = [
  { name: "plain-1 (no lb)", aggregators: 1, balanced: false },
  { name: "lb-1", aggregators: 1, balanced: true },
  { name: "lb-3", aggregators: 3, balanced: true },
];
const runs: Figures[][] = configs.map(() => []);
for (let r = 0; r < REPEAT; r++) {
  for (const [k, c] of configs.entries()) {
    const f = await run(c.name, c.aggregators, c.balanced, 1 + r * configs.length + k);
    runs[k]!.push(f);
    console.log(line(f));
  }
}
/** Best of the repeats: the highest rate and the lowest CPU (least disturbed by other load). */
const results = runs.map((list): Figures => ({
  ...list[0]!,
  name: `${list[0]!.name} best`,
  spansPerS: Math.max(...list.map((f) => f.spansPerS)),
  aggCpuPerSpanUs: Math.min(...list.map((f) => f.aggCpuPerSpanUs)),
  agentCpuPerSpanUs: Math.min(...list.map((f) => f.agentCpuPerSpanUs)),
}));
console.log(`best of ${REPEAT} (rate and CPU figures each at their best):`);
for (const r of results) console.log(line(r));
const [plain, lb1, lb3] = results as [Figures, Figures, Figures];
const routing = lb1.agentCpuPerSpanUs - plain.agentCpuPerSpanUs;
const efficiency = lb1.aggCpuPerSpanUs / lb3.aggCpuPerSpanUs;
const oneNode = 1e6 / lb1.aggCpuPerSpanUs;
const agentCore = 1e6 / lb1.agentCpuPerSpanUs;
console.log(
  `measured here: 3 aggregators vs 1 = ${(lb3.spansPerS / lb1.spansPerS).toFixed(2)}x ` +
    `(all ${
      AGENTS + 3
    } processes and the load generator share ${cores} cores: bounded by the machine, not the tier)`,
);
console.log(
  `agent routing overhead (lb over a plain output): ${routing.toFixed(1)} CPU-us/span ` +
    `(${(routing / plain.agentCpuPerSpanUs * 100).toFixed(0)}% of an agent's cost)`,
);
console.log(
  `one aggregator on a core of its own: ~${Math.round(oneNode).toLocaleString("en-US")} spans/s ` +
    `(1 / ${
      lb1.aggCpuPerSpanUs.toFixed(1)
    } CPU-us per span); the tier's CPU per span at 3 nodes vs 1: ` +
    `efficiency ${efficiency.toFixed(2)}`,
);
console.log(
  `expected: each added aggregator (with its own core) adds ~${efficiency.toFixed(2)} x ` +
    `${Math.round(oneNode).toLocaleString("en-US")} spans/s, while the agents have CPU to spare ` +
    `(~${Math.round(agentCore).toLocaleString("en-US")} spans/s per agent core)`,
);
