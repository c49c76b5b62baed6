/**
 * Fluent Bit's OTLP/JSON metric test vectors (tests/internal/data/opentelemetry/metrics.json).
 * Fluent Bit turns metrics into cmetrics contexts; sluice carries OTLP metrics through, so
 * the comparable parts are checked: the number of resource contexts, the metric counts per
 * kind in the first context, and name, description, unit, value, count, sum, monotonicity
 * and temporality of the named metric. Error cases must fail in `decodeMetrics()` or
 * `validateMetrics()`, except for the deliberate differences listed in ACCEPTED.
 */
import type { MetricRecord } from "../event/metric.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { exactJsonBytes, testdata } from "./_test_util.ts";
import { parseJson } from "./json_read.ts";
import { decodeMetrics, metricKind, OtlpDecodeError, validateMetrics } from "./mod.ts";

type Json = Record<string, unknown>;

interface Case {
  input: unknown;
  expected?: Json;
  expected_error?: { code: string };
}

/** Fluent Bit errors the OTLP spec allows; sluice accepts them on purpose. */
const ACCEPTED: Record<string, string> = {
  invalid_resource_metrics_missing:
    "proto3 JSON: an absent repeated field is empty (empty request)",
  invalid_scope_metrics_missing: "proto3 JSON: a ResourceMetrics without scopeMetrics is empty",
  invalid_metrics_missing: "proto3 JSON: a ScopeMetrics without metrics is empty",
  invalid_gauge_datapoints_missing: "proto3 JSON: a gauge without dataPoints has no points",
  invalid_sum_datapoints_missing: "proto3 JSON: a sum without dataPoints has no points",
  invalid_histogram_datapoints_missing: "proto3 JSON: a histogram without dataPoints has no points",
  invalid_summary_datapoints_missing: "proto3 JSON: a summary without dataPoints has no points",
  invalid_exponential_histogram_datapoints_missing:
    "proto3 JSON: an exponential histogram without dataPoints has no points",
};

/** Fluent Bit successes sluice rejects on purpose. */
const REJECTED: Record<string, string> = {
  valid_invalid_numeric_skips_points:
    '`"asDouble": "12.0oops"` is not a number: sluice answers 400 instead of silently ' +
    "dropping the point as Fluent Bit does",
};

const KIND: Record<string, string> = {
  gauge: "gauge",
  counter: "sum",
  histogram: "histogram",
  exp_histogram: "exponentialHistogram",
  summary: "summary",
};

const cases = parseJson(testdata("fb-tests-internal-opentelemetry__metrics.json")) as Record<
  string,
  Case
>;

function lastPoint(m: MetricRecord): Json {
  const points = (m.data as Record<string, { dataPoints: Json[] }>)[metricKind(m)!]!.dataPoints;
  return points[points.length - 1]!;
}

function checkExpected(metrics: MetricRecord[], e: Json): void {
  const resources = new Set(metrics.map((m) => m.resource));
  assertEquals(resources.size, Number(e.context_count));
  const first = metrics.filter((m) => m.resource === metrics[0]!.resource);
  for (const [key, kind] of Object.entries(KIND)) {
    const count = e[`${key}_count`];
    if (count !== undefined) {
      assertEquals(first.filter((m) => metricKind(m) === kind).length, Number(count), key);
    }
    const want = e[key] as Json | undefined;
    if (want === undefined) continue;
    const m = metrics.find((x) => x.name === want.name && metricKind(x) === kind);
    assert(m !== undefined, `no ${kind} named ${want.name}`);
    if (want.description !== undefined) assertEquals(m.description, want.description);
    if (want.unit !== undefined) assertEquals(m.unit, want.unit);
    const p = lastPoint(m);
    if (want.value !== undefined) assertEquals(Number(p.value), Number(want.value));
    if (want.count !== undefined) assertEquals(p.count, BigInt(want.count as number));
    if (want.sum !== undefined) assertEquals(p.sum, Number(want.sum));
    const data = (m.data as Record<string, Json>)[kind];
    if (want.aggregation_type !== undefined) {
      assertEquals(data!.aggregationTemporality, Number(want.aggregation_type));
    }
    if (want.allow_reset !== undefined) assertEquals(data!.isMonotonic, !want.allow_reset);
  }
}

for (const [name, c] of Object.entries(cases)) {
  Deno.test(`Fluent Bit metric vector ${name}`, () => {
    let metrics: MetricRecord[];
    try {
      metrics = decodeMetrics(exactJsonBytes(c.input), "json");
    } catch (e) {
      assert(e instanceof OtlpDecodeError, `unexpected ${e}`);
      assert(c.expected_error !== undefined || name in REJECTED, `rejected: ${e.message}`);
      return;
    }
    assert(!(name in REJECTED), `${name} should be rejected: ${REJECTED[name]}`);
    const problems = validateMetrics(metrics);
    if (c.expected_error !== undefined) {
      if (name in ACCEPTED) assertEquals(problems, [], ACCEPTED[name]);
      else assert(problems.length > 0, `${name}: expected ${c.expected_error.code}`);
      return;
    }
    assertEquals(problems, []);
    checkExpected(metrics, c.expected!);
  });
}

Deno.test("Fluent Bit metric vectors: every deliberate difference names a real case", () => {
  for (const name of [...Object.keys(ACCEPTED), ...Object.keys(REJECTED)]) assert(name in cases);
  assertEquals(Object.keys(cases).length, 40);
});
