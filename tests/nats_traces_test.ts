/**
 * Spans through NATS by trace ID, from the CLI: an agent receives OTLP spans (each trace's
 * spans spread over several requests) and publishes them to a JetStream stream partitioned
 * over `spans.0` .. `spans.3`; two aggregators consume partitions 0,1 and 2,3 and forward
 * what they get to receivers of their own. Every trace must reach exactly one aggregator,
 * whole.
 */
import { hexId } from "../src/otlp/mod.ts";
import { assertEquals } from "../src/testing/assert.ts";
import { startForwardReceiver } from "../src/testing/forward_receiver.ts";
import { NatsServer, NO_NATS } from "../src/testing/nats_server.ts";
import { until } from "../src/testing/until.ts";
import { freePort, spawnSluice } from "./_helpers.ts";

const TRACES = 60;
const SPANS = 4;

function traceId(t: number): string {
  return "5b8efff7980381" + t.toString(16).padStart(18, "0");
}

/** One OTLP/JSON request holding span `s` of every trace. */
function request(s: number): string {
  const spans = Array.from({ length: TRACES }, (_, t) => ({
    name: `op${s}`,
    traceId: traceId(t),
    spanId: (t * 16 + s + 1).toString(16).padStart(16, "0"),
    startTimeUnixNano: "1",
    endTimeUnixNano: "2",
  }));
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
}

function aggregator(natsPort: number, parts: string, fwdPort: number): string {
  return `
service:
  flush: 0.1
  grace: 2
pipeline:
  inputs:
    - name: nats
      port: ${natsPort}
      subject: spans
      partitions: ${parts}
      stream: TRACES
  outputs:
    - name: forward
      match: "*"
      port: ${fwdPort}
`;
}

Deno.test({
  name: "nats partitions: spans of a trace sent in 4 requests reach one aggregator, whole",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const nats = await NatsServer.start();
    if (!nats) {
      console.log(NO_NATS);
      return;
    }
    const dir = await Deno.makeTempDir({ prefix: "sluice_nats_traces_" });
    const rx = [startForwardReceiver(), startForwardReceiver()];
    const otlpPort = freePort();
    await Deno.writeTextFile(
      `${dir}/agent.yaml`,
      `
service:
  flush: 0.1
  grace: 2
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${otlpPort}
  outputs:
    - name: nats
      match: "*"
      port: ${nats.port}
      subject: spans
      partitions: 4
      stream: TRACES
`,
    );
    await Deno.writeTextFile(`${dir}/a.yaml`, aggregator(nats.port, "0,1", rx[0]!.port));
    await Deno.writeTextFile(`${dir}/b.yaml`, aggregator(nats.port, "2,3", rx[1]!.port));
    const procs = [
      spawnSluice(["-c", `${dir}/agent.yaml`]),
      spawnSluice(["-c", `${dir}/a.yaml`]),
      spawnSluice(["-c", `${dir}/b.yaml`]),
    ];
    try {
      for (let s = 0; s < SPANS; s++) {
        const body = request(s);
        await until(
          async () => {
            const res = await fetch(`http://127.0.0.1:${otlpPort}/v1/traces`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body,
            }).catch(() => null);
            await res?.body?.cancel();
            return res?.ok;
          },
          `the agent to take request ${s}`,
          { timeout: 20_000, interval: 100 },
        );
      }
      const spansAt = (i: number) => rx[i]!.messages.flatMap((m) => m.spans);
      await until(
        () => spansAt(0).length + spansAt(1).length >= TRACES * SPANS,
        "every span at an aggregator",
        { timeout: 30_000 },
      );
      const where = new Map<string, Map<number, number>>();
      for (const i of [0, 1]) {
        for (const span of spansAt(i)) {
          const t = hexId(span.traceId);
          if (!where.has(t)) where.set(t, new Map());
          where.get(t)!.set(i, (where.get(t)!.get(i) ?? 0) + 1);
        }
      }
      assertEquals(where.size, TRACES);
      for (const [t, at] of where) {
        assertEquals([...at.values()], [SPANS], `trace ${t} arrived as ${JSON.stringify([...at])}`);
      }
      const onA = [...where.values()].filter((at) => at.has(0)).length;
      console.log(`traces: ${onA} on aggregator A (partitions 0,1), ${TRACES - onA} on B (2,3)`);
      assertEquals(onA > 0 && onA < TRACES, true, "both aggregators got traces");
    } finally {
      for (const p of procs) {
        p.kill("SIGTERM");
        await p.output();
      }
      for (const r of rx) await r.close();
      await nats.stop();
    }
  },
});
