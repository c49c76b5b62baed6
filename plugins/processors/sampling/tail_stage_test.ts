import { assert, assertEquals } from "../../../src/testing/assert.ts";
import { until } from "../../../src/testing/until.ts";
import { MetricsRegistry } from "../../../src/engine/metrics.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { Ack } from "../../../src/event/ack.ts";
import { parseConditions } from "./conditions/mod.ts";
import { SamplingMetrics } from "./metrics.ts";
import { TailSampler } from "./sampler.ts";
import { tailStage } from "./tail_stage.ts";
import {
  Channel,
  type CountingAck,
  deliver,
  FakeClock,
  runStage,
  settleMicrotasks,
  span,
  tailSettings,
  traceChunk,
  traceId,
  traceNumbers,
} from "./_testing.ts";

const ERRORS = [{ type: "status_code", status_codes: ["ERROR"] }];

function setup(settings: Record<string, unknown> = {}, conditions: unknown[] = ERRORS) {
  const clock = new FakeClock();
  const registry = new MetricsRegistry();
  const sampler = new TailSampler({
    settings: tailSettings({ decision_wait: "5s", ...settings }),
    conditions: parseConditions(conditions),
    metrics: new SamplingMetrics(registry, "s"),
  });
  const input = new Channel<Chunk>();
  const run = runStage(tailStage(sampler, { clock }), input);
  return { clock, registry, sampler, input, ...run };
}

Deno.test("tailStage() decides on the timer while the input is idle", async () => {
  const t = setup();
  t.input.push(
    traceChunk([span({ traceId: traceId(1), status: 2 }), span({ traceId: traceId(2) })]),
  );
  await until(() => t.clock.sleeping === 1, "the stage waits for the deadline", { interval: 0 });
  t.clock.set(4999);
  await settleMicrotasks();
  assertEquals(t.out.length, 0);
  t.clock.set(5000);
  await until(() => t.out.length === 1, "the kept trace comes out", { interval: 0 });
  assertEquals(traceNumbers(t.out), [1]);
  t.input.end();
  await t.done;
});

Deno.test("tailStage() decides due traces between chunks when the input never idles", async () => {
  const clock = new FakeClock();
  const sampler = new TailSampler({
    settings: tailSettings({ decision_wait: "5s" }),
    conditions: parseConditions([]),
  });
  const out: Chunk[] = [];
  let seenBeforeEnd: number[] = [];
  async function* busy(): AsyncGenerator<Chunk> {
    for (let i = 0; i < 10; i++) {
      clock.set(i * 1000);
      yield traceChunk([span({ traceId: traceId(i) })]);
    }
    seenBeforeEnd = traceNumbers(out);
  }
  for await (const c of tailStage(sampler, { clock })(busy())) out.push(c);
  assertEquals(seenBeforeEnd, [0, 1, 2, 3, 4], "decided on time, not at the end");
  assertEquals(traceNumbers(out), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

Deno.test("tailStage() decides every pending trace when the upstream ends", async () => {
  const t = setup();
  t.input.push(
    traceChunk([span({ traceId: traceId(1), status: 2 }), span({ traceId: traceId(2) })]),
  );
  t.input.end();
  await t.done;
  assertEquals(traceNumbers(t.out), [1]);
  assertEquals(t.sampler.pendingTraces, 0);
});

Deno.test("tailStage() passes other signals through untouched", async () => {
  const t = setup();
  const logs: Chunk = {
    signal: "logs",
    tag: "t",
    input: "i",
    bytes: 1,
    ack: new Ack(),
    records: [{ time: new EventTime(1, 0), metadata: {}, body: { a: 1 } }],
  };
  t.input.push(logs);
  t.input.end();
  await t.done;
  assertEquals(t.out, [logs]);
});

Deno.test("tailStage() settles every source ack exactly once, after its spans are done", async () => {
  const t = setup({ max_traces: 50 }, [
    { type: "status_code", status_codes: ["ERROR"] },
    { type: "latency", threshold_ms_high: 100 },
  ]);
  const sources: CountingAck[] = [];
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let c = 0; c < 120; c++) {
    const spans = [];
    for (let i = 0; i < 10; i++) {
      const n = Math.floor(rand() * 300);
      spans.push(
        span({ traceId: traceId(n), status: rand() < 0.05 ? 2 : 1, durationMs: rand() * 110 }),
      );
    }
    const chunk = traceChunk(spans);
    sources.push(chunk.ack);
    t.clock.set(c * 200);
    t.input.push(chunk);
    if (c % 7 === 0) await settleMicrotasks();
    deliver(t.out.splice(0));
  }
  t.input.end();
  await t.done;
  const outs = t.out.splice(0);
  await settleMicrotasks();
  const settledEarly = sources.filter((a) => a.settled);
  assert(settledEarly.length < sources.length, "some sources wait for their emitted spans");
  deliver(outs);
  await settleMicrotasks();
  for (const [i, a] of sources.entries()) {
    assertEquals(a.settledCount, 1, `source ${i} settled once`);
    assertEquals(a.extraReleases, 0, `source ${i} not released again`);
  }
  const m = (n: string) => t.registry.value(`sluice_sampling_${n}`, { name: "s" });
  assertEquals(m("spans_in_total"), 1200);
  assertEquals(m("spans_out_total") + m("spans_dropped_total"), 1200);
});

Deno.test("tailStage() leaves held spans unacknowledged when its consumer stops early", async () => {
  const t = setup({}, []);
  const chunk = traceChunk([span({ traceId: traceId(1) })]);
  const stage = tailStage(t.sampler, { clock: t.clock })(
    (async function* () {
      yield chunk;
      yield traceChunk([span({ traceId: traceId(2) })]);
    })(),
  );
  const it = stage[Symbol.asyncIterator]();
  const first = it.next();
  t.clock.set(5000);
  await first;
  await it.return?.();
  await settleMicrotasks();
  assertEquals(chunk.ack.settled, false);
  t.input.end();
  await t.done;
});
