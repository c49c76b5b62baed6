import { assert, assertEquals } from "../../testing/assert.ts";
import type {
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
} from "../../otlp/metric_data.ts";
import { prometheusType } from "../model.ts";
import { parsePrometheusText } from "./parse.ts";

const NOW = 1_700_000_000_000_000_000n;
const sample = await Deno.readTextFile(
  new URL("../../../testdata/prometheus/sample.prom", import.meta.url),
);

function byName(text: string, openMetrics?: boolean) {
  const r = parsePrometheusText(text, { nowNs: NOW, openMetrics });
  return { r, m: new Map(r.metrics.map((m) => [m.name, m])) };
}

Deno.test("parsePrometheusText() reads every type of the 0.0.4 sample", () => {
  const { r, m } = byName(sample);
  assertEquals(r.problems, []);
  assertEquals(r.duplicates, 0);
  const req = m.get("http_requests_total")!;
  assertEquals(prometheusType(req), "counter");
  assertEquals(req.description, "The total number of HTTP requests.");
  const points = (req.data.sum as { dataPoints: NumberDataPoint[] }).dataPoints;
  assertEquals(points.map((p) => [p.attributes, p.value, p.timeUnixNano]), [
    [{ method: "post", code: "200" }, 1027, 1395066363000_000_000n],
    [{ method: "post", code: "400" }, 3, 1395066363000_000_000n],
  ]);
  const temp = (m.get("temp")!.data.gauge as { dataPoints: NumberDataPoint[] }).dataPoints;
  assertEquals(temp[0]!.attributes, { room: 'a b"c\\d\ne' });
  assertEquals(temp[0]!.timeUnixNano, NOW);
  assert(Number.isNaN(temp[1]!.value));
  assertEquals([temp[2]!.value, temp[3]!.value], [Infinity, -Infinity]);
  assertEquals(prometheusType(m.get("metric_without_timestamp_and_labels")!), "unknown");
  assertEquals(prometheusType(m.get("some_untyped")!), "unknown");
  const s = (m.get("rpc_duration_seconds")!.data.summary as { dataPoints: SummaryDataPoint[] })
    .dataPoints[0]!;
  assertEquals(s.count, 2693n);
  assertEquals(s.sum, 1.7560473e+07);
  assertEquals(s.quantileValues.map((q) => q.quantile), [0.01, 0.5, 0.99]);
  const h = (m.get("http_request_duration_seconds")!.data.histogram as {
    dataPoints: HistogramDataPoint[];
  }).dataPoints[0]!;
  assertEquals(h.explicitBounds, [0.05, 0.1, 0.5]);
  assertEquals(h.bucketCounts, [24054n, 9390n, 95945n, 14931n]);
  assertEquals([h.count, h.sum], [144320n, 53423]);
});

Deno.test("parsePrometheusText() reads OpenMetrics: seconds, _total, _created, UNIT, EOF", () => {
  const text = [
    "# TYPE foo counter",
    "# HELP foo Some foos.",
    "# UNIT foo seconds",
    'foo_total{a="1"} 17.0 1520879607.789 # {trace_id="x"} 1 1520879607.7',
    'foo_created{a="1"} 1520430000.123',
    "# TYPE build info",
    'build_info{version="1"} 1',
    "# TYPE h histogram",
    'h_bucket{le="1.0"} 2',
    'h_bucket{le="+Inf"} 3',
    "h_count 3",
    "h_sum 4.5",
    "h_created 1520430000",
    "# EOF",
    "",
  ].join("\n");
  const { r, m } = byName(text);
  assertEquals(r.problems, []);
  const foo = m.get("foo_total")!;
  assertEquals(foo.unit, "seconds");
  const p = (foo.data.sum as { dataPoints: NumberDataPoint[] }).dataPoints[0]!;
  assertEquals(p.timeUnixNano, 1520879607789000000n);
  assertEquals(p.startTimeUnixNano, 1520430000123000000n);
  assertEquals(prometheusType(m.get("build_info")!), "info");
  const h = (m.get("h")!.data.histogram as { dataPoints: HistogramDataPoint[] }).dataPoints[0]!;
  assertEquals(h.startTimeUnixNano, 1520430000000000000n);
  assertEquals(h.bucketCounts, [2n, 1n]);
});

Deno.test("parsePrometheusText() skips bad lines with their number and keeps the rest", () => {
  const text = [
    "good 1",
    "bad{a=1} 2",
    'unterminated{a="x} 3',
    "noval",
    "# TYPE weird nonsense",
    "1leading 4",
    "val notanumber",
    "also_good 5 1000",
    "good 6",
  ].join("\n");
  const { r, m } = byName(text);
  assertEquals(r.problems.map((p) => p.line), [2, 3, 4, 5, 6, 7]);
  assertEquals(r.duplicates, 1);
  assertEquals(r.samples, 2);
  assertEquals([...m.keys()], ["good", "also_good"]);
});

Deno.test("parsePrometheusText() refuses a sample with a huge label set", () => {
  const labels = Array.from({ length: 600 }, (_, i) => `l${i}="v"`).join(",");
  const { r } = byName(`big{${labels}} 1\nsmall 2\n`);
  assertEquals(r.problems.length, 1);
  assertEquals(r.problems[0]!.reason, "more than 512 labels on one sample");
  assertEquals(r.metrics.map((m) => m.name), ["small"]);
});
