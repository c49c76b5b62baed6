/**
 * Helpers for the metrics end-to-end tests: the series an OTLP/HTTP receiver got, in one
 * comparable text form per series (Prometheus-like, labels sorted), and a collector run
 * from a YAML config against such a receiver.
 */
import { decodeMetrics } from "../src/otlp/mod.ts";
import type { MetricRecord } from "../src/event/metric.ts";
import type { HistogramDataPoint, NumberDataPoint } from "../src/otlp/metric_data.ts";
import type { ReceivedRequest } from "./_otlp_helpers.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { waitFor } from "./_helpers.ts";

/** The metrics of every `/v1/metrics` request received, decoded. */
export function receivedMetrics(requests: readonly ReceivedRequest[]): MetricRecord[][] {
  return requests.filter((r) => r.path === "/v1/metrics").map((r) => {
    const json = (r.headers.get("content-type") ?? "").includes("json");
    return decodeMetrics(r.body, json ? "json" : "protobuf");
  });
}

function labelText(attrs: Record<string, unknown>): string {
  const keys = Object.keys(attrs).sort();
  return `{${keys.map((k) => `${k}="${String(attrs[k])}"`).join(",")}}`;
}

/**
 * One line per series: `name{labels} kind value`; a histogram gives its count, sum and its
 * buckets as Prometheus's cumulative `le` counts, from per-bucket counts (OTLP) unless
 * `cumulativeBuckets` says the sender wrote them cumulative already (Fluent Bit does).
 */
export function seriesLines(
  metrics: readonly MetricRecord[],
  options: { cumulativeBuckets?: boolean } = {},
): string[] {
  const out: string[] = [];
  for (const m of metrics) {
    const d = m.data as Record<string, { dataPoints: unknown[] }>;
    for (const [kind, data] of Object.entries(d)) {
      for (const p of data.dataPoints) {
        const labels = labelText((p as NumberDataPoint).attributes);
        if (kind === "histogram") {
          const h = p as HistogramDataPoint;
          let acc = 0;
          const le = h.bucketCounts.map((c, i) => {
            acc = options.cumulativeBuckets ? Number(c) : acc + Number(c);
            return `${h.explicitBounds[i] ?? "+Inf"}=${acc}`;
          });
          out.push(`${m.name}${labels} histogram count=${h.count} sum=${h.sum} ${le.join(" ")}`);
        } else {
          out.push(`${m.name}${labels} ${kind} ${Number((p as NumberDataPoint).value)}`);
        }
      }
    }
  }
  return out.sort();
}

/** The lines of the last snapshot of metric `name` received (one MetricRecord holds all series). */
export function lastSnapshot(
  batches: readonly MetricRecord[][],
  name: string,
  options: { cumulativeBuckets?: boolean } = {},
): string[] {
  const last = batches.flat().filter((m) => m.name === name).at(-1);
  return last ? seriesLines([last], options) : [];
}

/** The metric lines of a cmetrics text print, their timestamps cut. */
export function metricLines(text: string): string[] {
  return text.split("\n")
    .filter((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z /.test(l))
    .map((l) => l.replace(/^\S+ /, ""));
}

/**
 * The metric lines the Fluent Bit binary prints for `config` once it printed at least
 * `count` (its stdout output, timestamps cut); null, after saying so, when the binary is absent.
 */
export async function fluentBitMetricLines(
  config: string,
  count: number,
  what: string,
): Promise<string[] | null> {
  const bin = await fluentBitPath();
  if (!bin) {
    console.log(NO_PEER);
    return null;
  }
  const fb = spawnFluentBit(bin, ["-c", config]);
  try {
    await waitFor(() => metricLines(fb.stdout()).length >= count || undefined, {
      what,
      timeoutMs: 20_000,
    });
  } finally {
    await fb.stop();
  }
  return metricLines(fb.stdout());
}
