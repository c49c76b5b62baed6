/**
 * Spans at the edges of the span model: IDs with a leading zero byte, empty or of the
 * wrong length, spans without status, attributes or resource. None may crash the
 * sampler; each has the behaviour its test name states.
 */
import { assert, assertEquals } from "../../../src/testing/assert.ts";
import { MetricsRegistry } from "../../../src/engine/metrics.ts";
import type { Span } from "../../../src/event/span.ts";
import { parseConditions } from "./conditions/mod.ts";
import { SamplingMetrics } from "./metrics.ts";
import { TailSampler } from "./sampler.ts";
import { span, spanId, tailSettings, traceChunk, traceId, traceNumbers } from "./_testing.ts";

const ERRORS = [{ type: "status_code", status_codes: ["ERROR"] }];

function sampler(
  settings: Record<string, unknown> = {},
  conditions: unknown[] = ERRORS,
  registry = new MetricsRegistry(),
): TailSampler {
  return new TailSampler({
    settings: tailSettings({ decision_wait: "5s", ...settings }),
    conditions: parseConditions(conditions),
    metrics: new SamplingMetrics(registry, "s"),
  });
}

Deno.test("TailSampler keeps trace IDs with a leading zero byte apart (Fluent Bit 4.2.8 merges them)", () => {
  const s = sampler();
  const spans = [];
  for (let n = 0; n < 200; n++) {
    spans.push(span({ traceId: traceId(n, 0x00), status: n % 10 === 0 ? 2 : 1 }));
    spans.push(span({ traceId: traceId(n, 0x00), spanId: spanId(1) }));
  }
  s.ingest(traceChunk(spans), 0);
  assertEquals(s.pendingTraces, 200);
  const out = s.decideDue(5000);
  assertEquals(traceNumbers(out), Array.from({ length: 20 }, (_, i) => i * 10));
  assertEquals(out.reduce((n, c) => n + c.records.length, 0), 40);
});

Deno.test("TailSampler judges a span with an empty trace ID alone and at once", () => {
  const s = sampler();
  const out = s.ingest(
    traceChunk([
      span({ traceId: new Uint8Array(0), status: 2 }),
      span({ traceId: new Uint8Array(0) }),
      span({ traceId: traceId(1) }),
    ]),
    0,
  );
  assertEquals(out.length, 1);
  assertEquals(out[0]!.records.length, 1);
  assertEquals(out[0]!.records[0]!.status.code, 2);
  assertEquals(s.pendingTraces, 1, "only the real trace waits");
});

Deno.test("TailSampler groups wrong-length trace IDs by their full bytes", () => {
  const s = sampler();
  const short = (b: number) => new Uint8Array([0, b]);
  s.ingest(
    traceChunk([
      span({ traceId: short(1), status: 2 }),
      span({ traceId: short(1) }),
      span({ traceId: short(2) }),
    ]),
    0,
  );
  assertEquals(s.pendingTraces, 2);
  const out = s.decideDue(5000);
  assertEquals(out[0]!.records.length, 2);
  assert(out[0]!.records.every((r) => r.traceId[1] === 1));
});

Deno.test("TailSampler takes spans with no status, null attributes and no resource: UNSET, empty", () => {
  const r = new MetricsRegistry();
  const s = new TailSampler({
    settings: tailSettings({ decision_wait: "1s" }),
    conditions: parseConditions([
      { type: "status_code", status_codes: ["UNSET"] },
      { type: "string_attribute", key: "k", match_type: "exists" },
      { type: "latency", threshold_ms_high: 5, scope: "trace" },
    ]),
    metrics: new SamplingMetrics(r, "s"),
  });
  const bare = span({ traceId: traceId(1), durationMs: 1 }) as unknown as Record<string, unknown>;
  delete bare.status;
  bare.attributes = null;
  bare.resource = undefined;
  const ok = span({ traceId: traceId(2), durationMs: 1 }) as unknown as Record<string, unknown>;
  ok.attributes = undefined;
  s.ingest(traceChunk([bare, ok] as unknown as Span[]), 0);
  assertEquals(traceNumbers(s.decideDue(1000)), [1], "no status counts as UNSET");
});
