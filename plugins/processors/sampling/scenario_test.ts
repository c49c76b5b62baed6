/**
 * The reported user scenario: decision_wait 5s, a latency threshold_ms_high and
 * status_code [ERROR, UNSET]. A trace with a slow span, or an ERROR or UNSET span,
 * is kept whole; a fast all-OK trace is dropped. Once from the YAML config through
 * the plugin, once under sustained load (thousands of traces, fake clock).
 */
import type { SamplingOptions } from "./options.ts";
import { parseSettings } from "./settings.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { assert, assertEquals } from "../../../src/testing/assert.ts";
import { Logger, memorySink } from "../../../src/engine/log.ts";
import { MetricsRegistry } from "../../../src/engine/metrics.ts";
import type { PluginContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import type { Span, StatusCodeValue } from "../../../src/event/span.ts";
import { buildParserRegistry } from "../../../src/parsers/mod.ts";
import { parseConditions } from "./conditions/mod.ts";
import { SamplingMetrics } from "./metrics.ts";
import { plugin } from "./mod.ts";
import { TailSampler } from "./sampler.ts";
import { tailStage } from "./tail_stage.ts";
import {
  type CountingAck,
  FakeClock,
  settleMicrotasks,
  span,
  spanId,
  tailSettings,
  traceChunk,
  traceId,
  traceNumbers,
} from "./_testing.ts";

type Kind = "slow" | "error" | "unset" | "fast_ok";

/** A trace of `n` spans of the kind; only one span carries what makes it match. */
function makeTrace(id: number, kind: Kind, n: number, thresholdMs: number): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < n; i++) {
    const special = i === n - 1;
    const status: StatusCodeValue = special && kind === "error"
      ? 2
      : special && kind === "unset"
      ? 0
      : 1;
    const durationMs = special && kind === "slow"
      ? thresholdMs + (id % 50)
      : (id % (thresholdMs - 1)) + 0.5;
    spans.push(span({ traceId: traceId(id), spanId: spanId(i), status, durationMs, startMs: i }));
  }
  return spans;
}

const KINDS: Kind[] = ["fast_ok", "slow", "fast_ok", "error", "fast_ok", "unset", "fast_ok"];

function context(): PluginContext {
  return testFilterContext({
    name: "opentelemetry.0/sampling.0",
    log: new Logger({ sink: memorySink() }),
    parsers: buildParserRegistry([]),
  });
}

Deno.test("user scenario at 200 ms: slow, ERROR or UNSET traces kept whole, fast OK traces dropped", async () => {
  const values = {
    type: "tail",
    debug: false,
    sampling_settings: parseSettings({ decision_wait: "5s" }),
    conditions: parseConditions([
      { type: "latency", threshold_ms_high: 200 },
      { type: "status_code", status_codes: ["ERROR", "UNSET"] },
    ]),
    sampling_percentage: undefined,
  };
  const inst = await plugin.create(values as SamplingOptions, context());
  const traces = KINDS.map((k, i) => makeTrace(i, k, 3, 200));
  const chunk = traceChunk(traces.flat());
  const out: Chunk[] = [];
  async function* one(): AsyncGenerator<Chunk> {
    yield chunk;
  }
  for await (const c of inst.stage!(one())) out.push(c);
  const kept = KINDS.flatMap((k, i) => (k === "fast_ok" ? [] : [i]));
  assertEquals(traceNumbers(out), kept);
  assertEquals(out.reduce((n, c) => n + c.records.length, 0), kept.length * 3, "whole traces");
  for (const c of out) c.ack.release();
  await settleMicrotasks();
  assertEquals(chunk.ack.settledCount, 1);
});

Deno.test("user scenario at 20 ms under sustained load: exactly the matching traces, acks settled", async () => {
  const TRACES = 6000;
  const clock = new FakeClock();
  const registry = new MetricsRegistry();
  const sampler = new TailSampler({
    settings: tailSettings({ decision_wait: "5s" }),
    conditions: parseConditions([
      { type: "latency", threshold_ms_high: 20 },
      { type: "status_code", status_codes: ["ERROR", "UNSET"] },
    ]),
    metrics: new SamplingMetrics(registry, "s"),
  });
  // Spans of consecutive traces interleave across chunks of 100, arriving 10 ms apart.
  const sizes = new Map<number, number>();
  const expected: number[] = [];
  const all: Span[] = [];
  for (let t = 0; t < TRACES; t++) {
    const kind = KINDS[t % KINDS.length];
    const n = 2 + (t % 4);
    sizes.set(t, n);
    if (kind !== "fast_ok") expected.push(t);
    all.push(...makeTrace(t, kind!, n, 20));
  }
  for (let i = all.length - 1; i > 0; i -= 7) [all[i], all[i - 3]] = [all[i - 3]!, all[i]!];
  const sources: CountingAck[] = [];
  const out: Chunk[] = [];
  let maxPending = 0;
  async function* load(): AsyncGenerator<Chunk> {
    for (let i = 0, tick = 0; i < all.length; i += 100, tick++) {
      clock.set(tick * 10);
      const c = traceChunk(all.slice(i, i + 100));
      sources.push(c.ack);
      maxPending = Math.max(maxPending, sampler.pendingTraces);
      yield c;
      for (const o of out) o.ack.release();
    }
  }
  for await (const c of tailStage(sampler, { clock })(load())) out.push(c);
  for (const o of out) o.ack.release();
  await settleMicrotasks();
  assertEquals(traceNumbers(out), expected);
  const counts = new Map<number, number>();
  for (const c of out) {
    if (c.signal !== "traces") continue;
    for (const s of c.records) {
      const n = new DataView(s.traceId.buffer).getUint32(12);
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
  }
  for (const t of expected) assertEquals(counts.get(t), sizes.get(t), `trace ${t} whole`);
  for (const a of sources) assertEquals([a.settledCount, a.extraReleases], [1, 0]);
  assert(maxPending < TRACES, "traces were decided while the load ran");
  const m = (n: string) => registry.value(`sluice_sampling_${n}`, { name: "s" });
  assertEquals(m("traces_kept_total"), expected.length);
  assertEquals(m("traces_dropped_total"), TRACES - expected.length);
  assertEquals(m("traces_pending"), 0);
});
