/**
 * Scale-out with trace-aware load balancing, from the CLI: three sluice agents (OTLP in,
 * `lb.endpoints` over the aggregators, filesystem storage) and three sluice aggregators
 * (OTLP in, tail sampling keeping traces with an ERROR span, OTLP out to a sink). The
 * OpenTelemetry JS SDK records traces as three services, one per agent, so every trace's
 * spans are spread over all three agents. Every trace must be decided exactly once, by the
 * aggregator its trace ID hashes to, and arrive whole (3 spans) or not at all as the policy
 * says; then one aggregator is SIGKILLed, traffic goes on (the agents keep its share,
 * retrying), it is restarted on its port, and the same holds for the traces sent meanwhile.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { freePort, waitFor } from "./_helpers.ts";
import { type SluiceProcess, startSluice, waitListening } from "./_otlp_helpers.ts";
import {
  agentYaml,
  aggregatorYaml,
  homeOf,
  metricSum,
  sdkTraces,
  type SentTrace,
  type Sink,
  startSink,
} from "./_scale_out.ts";

const TRACES = 90;

function ports(n: number): number[] {
  return Array.from({ length: n }, () => freePort());
}

/** Chunk files (.flb) under `dir`. */
async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(dir)) {
    n += e.isDirectory ? await countFiles(`${dir}/${e.name}`) : e.name.endsWith(".flb") ? 1 : 0;
  }
  return n;
}

async function decisions(metricsPort: number): Promise<number> {
  return await metricSum(metricsPort, "sluice_sampling_traces_kept_total") +
    await metricSum(metricsPort, "sluice_sampling_traces_dropped_total");
}

/** Each trace arrived whole from its home aggregator when kept, not at all when dropped. */
function assertWhole(sink: Sink, sent: readonly SentTrace[], endpoints: readonly string[]): void {
  const byTrace = new Map<string, { aggregator: string; spanId: string }[]>();
  for (const s of sink.spans) {
    const list = byTrace.get(s.traceId) ?? [];
    list.push(s);
    byTrace.set(s.traceId, list);
  }
  for (const t of sent) {
    const got = byTrace.get(t.traceId) ?? [];
    if (!t.kept) {
      assertEquals(got.length, 0, `dropped trace ${t.traceId} sent nothing`);
      continue;
    }
    assertEquals(got.length, 3, `kept trace ${t.traceId} arrived whole, once`);
    assertEquals(new Set(got.map((s) => s.spanId)).size, 3, `trace ${t.traceId}: 3 distinct spans`);
    const home = `agg-${homeOf(t.traceId, endpoints)}`;
    for (const s of got) assertEquals(s.aggregator, home, `trace ${t.traceId} decided by ${home}`);
  }
}

Deno.test({
  name: "scale-out: 3 agents balance SDK traces by trace ID over 3 tail-sampling aggregators; " +
    "every trace decided once and whole, before and after one aggregator is SIGKILLed and restarted",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const sink = startSink();
  const aggPorts = ports(3);
  const aggMetrics = ports(3);
  const agentPorts = ports(3);
  const agentMetrics = ports(3);
  const endpoints = aggPorts.map((p) => `127.0.0.1:${p}`);
  const storage = await Deno.makeTempDir({ prefix: "sluice_scale_out_" });
  const aggYaml = (i: number) =>
    aggregatorYaml({
      name: `agg-${i}`,
      port: aggPorts[i]!,
      metricsPort: aggMetrics[i]!,
      sinkPort: sink.port,
      decisionWait: "3s",
    });
  const aggs: SluiceProcess[] = [];
  const agents: SluiceProcess[] = [];
  try {
    for (let i = 0; i < 3; i++) aggs.push(await startSluice(aggYaml(i)));
    for (let i = 0; i < 3; i++) {
      agents.push(
        await startSluice(agentYaml({
          port: agentPorts[i]!,
          metricsPort: agentMetrics[i]!,
          endpoints,
          storageDir: `${storage}/agent-${i}`,
        })),
      );
    }
    await Promise.all([...aggPorts, ...agentPorts].map((p) => waitListening(p)));

    // Before: all three aggregators up.
    const first = await sdkTraces(agentPorts, TRACES);
    const share = (sent: SentTrace[], i: number) =>
      sent.filter((t) => homeOf(t.traceId, endpoints) === i).length;
    for (let i = 0; i < 3; i++) assert(share(first, i) > 0, `aggregator ${i} has a share`);
    const kept1 = first.filter((t) => t.kept).length * 3;
    await waitFor(async () => {
      const d = await Promise.all(aggMetrics.map(decisions));
      return d.every((n, i) => n === share(first, i)) && sink.spans.length >= kept1;
    }, { timeoutMs: 60_000, what: "every first-round trace decided by its home aggregator" });
    assertWhole(sink, first, endpoints);
    const before = await Promise.all(aggMetrics.map(decisions));

    // SIGKILL aggregator 1; traffic goes on; agents keep its share and retry.
    aggs[1]!.child.kill("SIGKILL");
    assertEquals((await aggs[1]!.child.status).signal, "SIGKILL");
    await aggs[1]!.stop();
    const second = await sdkTraces(agentPorts, TRACES);
    assert(share(second, 1) > 0, "the down aggregator has a share to buffer");
    await waitFor(async () => {
      const d = await Promise.all([0, 2].map((i) => decisions(aggMetrics[i]!)));
      return d[0] === before[0]! + share(second, 0) && d[1] === before[2]! + share(second, 2);
    }, { timeoutMs: 60_000, what: "aggregators 0 and 2 decided their second-round share" });
    const retries = await waitFor(async () => {
      const n = await Promise.all(
        agentMetrics.map((p) => metricSum(p, "fluentbit_output_retries_total")),
      );
      return n.reduce((a, b) => a + b, 0) || undefined;
    }, { timeoutMs: 30_000, what: "agents retrying the down aggregator's share" });
    assert(retries! > 0);
    const onDisk = await Promise.all([0, 1, 2].map((i) => countFiles(`${storage}/agent-${i}`)));
    assert(onDisk.some((n) => n > 0), `the agents hold the share in storage.path: ${onDisk}`);

    // Restart it on its port: the buffered share arrives and is decided there, whole.
    aggs[1] = await startSluice(aggYaml(1));
    await waitListening(aggPorts[1]!);
    const kept2 = kept1 + second.filter((t) => t.kept).length * 3;
    await waitFor(async () => {
      return await decisions(aggMetrics[1]!) === share(second, 1) && sink.spans.length >= kept2;
    }, { timeoutMs: 60_000, what: "the restarted aggregator decided its buffered share" });
    for (const i of [0, 2]) {
      assertEquals(
        await decisions(aggMetrics[i]!),
        before[i]! + share(second, i),
        `agg ${i} decided once`,
      );
    }
    assertWhole(sink, [...first, ...second], endpoints);
    assertEquals(sink.spans.length, kept2, "no span twice, none unexpected");
  } catch (e) {
    const d = await Promise.all(aggMetrics.map((p) => decisions(p).catch(() => -1)));
    console.error(`decisions ${d}; sink spans ${sink.spans.length}`);
    for (const p of [...aggs, ...agents]) console.error(p.stderr.slice(-15).join("\n"));
    throw e;
  } finally {
    for (const p of agents) assertEquals(await p.stop(), 0, p.stderr.join("\n"));
    for (const p of aggs) await p.stop();
    await sink.close();
    await Deno.remove(storage, { recursive: true }).catch(() => {});
  }
});
