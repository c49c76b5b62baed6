/**
 * Measures the tail sampler's stage: 200,000 spans in chunks of 100 (traces of 5
 * spans spread over consecutive chunks), the user scenario's conditions (latency
 * 200 ms or status ERROR/UNSET, about a third kept), a clock advancing 5 ms per chunk (decision_wait 2s)
 * so traces are decided while the load runs, every emitted chunk acknowledged.
 * Run: `deno run plugins/processors/sampling/sampling_bench.ts [spans]`.
 */
import { Ack } from "../../../src/event/ack.ts";
import { MetricsRegistry } from "../../../src/engine/metrics.ts";
import type { Chunk, TraceChunk } from "../../../src/event/chunk.ts";
import {
  emptyResource,
  emptyScope,
  type Span,
  type StatusCodeValue,
} from "../../../src/event/span.ts";
import type { Clock } from "../../../src/plugin.ts";
import { parseConditions } from "./conditions/mod.ts";
import { SamplingMetrics } from "./metrics.ts";
import { TailSampler } from "./sampler.ts";
import { parseSettings } from "./settings.ts";
import { tailStage } from "./tail_stage.ts";

/** What one run measured. */
export interface BenchResult {
  spans: number;
  spansOut: number;
  seconds: number;
  spansPerSecond: number;
}

function benchSpans(count: number): Span[] {
  const resource = { ...emptyResource(), attributes: { "service.name": "checkout" } };
  const scope = { ...emptyScope(), name: "bench" };
  const spans: Span[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const t = Math.floor(i / 5);
    const traceId = new Uint8Array(16);
    new DataView(traceId.buffer).setUint32(12, t);
    traceId[0] = t % 256;
    const spanId = new Uint8Array(8);
    new DataView(spanId.buffer).setUint32(4, i + 1);
    const start = 1_700_000_000_000_000_000n + BigInt(i) * 1_000n;
    const slow = t % 7 === 0 && i % 5 === 4;
    const status: StatusCodeValue = t % 11 === 0 ? 2 : t % 13 === 0 ? 0 : 1;
    spans[i] = {
      resource,
      scope,
      traceId,
      spanId,
      parentSpanId: i % 5 === 0 ? new Uint8Array(0) : spanId,
      traceState: "",
      flags: 0,
      name: "GET /api/items",
      kind: 2,
      startTimeUnixNano: start,
      endTimeUnixNano: start + (slow ? 250_000_000n : 5_000_000n),
      attributes: { "http.method": "GET", "http.status_code": 200 },
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: status, message: "" },
    };
  }
  // Spread each trace over neighbouring chunks.
  for (let i = 0; i + 150 < count; i += 97) {
    [spans[i], spans[i + 150]] = [spans[i + 150]!, spans[i]!];
  }
  return spans;
}

/**
 * Pushes `count` spans through a tail sampling stage in chunks of `perChunk` and
 * reports the throughput.
 */
export async function benchTailSampling(count = 200_000, perChunk = 100): Promise<BenchResult> {
  const spans = benchSpans(count);
  let now = 0;
  const clock: Clock = {
    now: () => now,
    sleep: () => new Promise(() => {}),
  };
  const sampler = new TailSampler({
    settings: parseSettings({ decision_wait: "2s" }),
    conditions: parseConditions([
      { type: "latency", threshold_ms_high: 200 },
      { type: "status_code", status_codes: ["ERROR", "UNSET"] },
    ]),
    metrics: new SamplingMetrics(new MetricsRegistry(), "bench"),
  });
  async function* input(): AsyncGenerator<Chunk> {
    for (let i = 0; i < count; i += perChunk) {
      now += 5;
      const records = spans.slice(i, i + perChunk);
      const chunk: TraceChunk = {
        signal: "traces",
        tag: "bench",
        input: "bench.0",
        records,
        bytes: records.length * 300,
        ack: new Ack(),
      };
      yield chunk;
    }
  }
  let spansOut = 0;
  const t0 = performance.now();
  for await (const c of tailStage(sampler, { clock })(input())) {
    spansOut += c.records.length;
    c.ack.release();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { spans: count, spansOut, seconds, spansPerSecond: Math.round(count / seconds) };
}

if (import.meta.main) {
  const count = Number(Deno.args[0] ?? 200_000);
  await benchTailSampling(Math.min(count, 20_000)); // warm up
  const r = await benchTailSampling(count);
  console.log(
    `tail sampling: ${r.spans.toLocaleString("en-US")} spans in ${r.seconds.toFixed(2)} s, ` +
      `${r.spansPerSecond.toLocaleString("en-US")} spans/s, ${r.spansOut} passed on`,
  );
}
