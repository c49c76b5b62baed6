/**
 * Metrics to CloudWatch Embedded Metric Format documents, one per data point, in the shape
 * of cmetrics' cmt_encode_cloudwatch_emf (what Fluent Bit 4.2.8's cloudwatch_logs sends for
 * metric chunks): `_aws` with the point's time in ms and one CloudWatchMetrics entry
 * (namespace, the point's label names as the one dimension set, the metric with
 * StorageResolution 60, Unit Counter for counters), then the labels, `prom_metric_type`, and
 * the value (or Min/Max/Sum/Count for histograms and summaries).
 */
import type { MetricRecord } from "../../../src/event/metric.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";

/**
 * The namespace of OTLP metrics in Fluent Bit 4.2.8 (their cmetrics namespace is empty);
 * `metric_namespace` replaces it.
 */
export const DEFAULT_EMF_NAMESPACE = "";

interface Point {
  attributes?: Record<string, unknown>;
  timeUnixNano?: bigint | number;
  value?: number | bigint | null;
  count?: number | bigint;
  sum?: number | null;
  min?: number | null;
  max?: number | null;
  quantileValues?: { quantile: number; value: number }[];
}

function num(v: unknown): number {
  if (typeof v === "bigint") return Number(v);
  return typeof v === "number" ? v : 0;
}

function text(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "bigint" || typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v) ?? "";
}

/** The metric's kind as cmetrics names it, and its points. */
function pointsOf(m: MetricRecord): { type: string; points: Point[] } | undefined {
  const d = m.data as Record<string, { dataPoints?: Point[]; isMonotonic?: boolean } | undefined>;
  if (d.gauge) return { type: "gauge", points: d.gauge.dataPoints ?? [] };
  if (d.sum) {
    return { type: d.sum.isMonotonic ? "counter" : "gauge", points: d.sum.dataPoints ?? [] };
  }
  if (d.histogram) return { type: "histogram", points: d.histogram.dataPoints ?? [] };
  if (d.exponentialHistogram) {
    return { type: "histogram", points: d.exponentialHistogram.dataPoints ?? [] };
  }
  if (d.summary) return { type: "summary", points: d.summary.dataPoints ?? [] };
  return undefined;
}

/**
 * The EMF documents of one metric; `namespace` when given, else Fluent Bit's empty one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const [doc] = metricDocuments({
 *   resource: { attributes: {}, droppedAttributesCount: 0, schemaUrl: "" },
 *   scope: { name: "", version: "", attributes: {}, droppedAttributesCount: 0, schemaUrl: "" },
 *   name: "requests_total",
 *   description: "",
 *   unit: "",
 *   metadata: {},
 *   data: { sum: { isMonotonic: true, dataPoints: [{ attributes: { code: "200" }, timeUnixNano: 1700000000123000000n, value: 5n }] } },
 * });
 * assertEquals(doc, {
 *   _aws: {
 *     Timestamp: 1700000000123,
 *     CloudWatchMetrics: [{
 *       Namespace: "",
 *       Dimensions: [["code"]],
 *       Metrics: [{ Name: "requests_total", Unit: "Counter", StorageResolution: 60 }],
 *     }],
 *   },
 *   code: "200",
 *   prom_metric_type: "counter",
 *   requests_total: 5,
 * });
 * ```
 */
export function metricDocuments(m: MetricRecord, namespace?: string): RecordMap[] {
  const kind = pointsOf(m);
  if (!kind) return [];
  const out: RecordMap[] = [];
  for (const p of kind.points) {
    const labels = Object.entries(p.attributes ?? {}).map(([k, v]) => [k, text(v)] as const);
    const metric: RecordMap = kind.type === "counter"
      ? { Name: m.name, Unit: "Counter", StorageResolution: 60 }
      : { Name: m.name, StorageResolution: 60 };
    const doc: RecordMap = {
      _aws: {
        Timestamp: typeof p.timeUnixNano === "bigint"
          ? Number(p.timeUnixNano / 1_000_000n)
          : Math.floor(num(p.timeUnixNano) / 1e6),
        CloudWatchMetrics: [{
          Namespace: namespace ?? DEFAULT_EMF_NAMESPACE,
          Dimensions: [labels.map(([k]) => k)],
          Metrics: [metric],
        }],
      },
    };
    for (const [k, v] of labels) doc[k] = v;
    doc.prom_metric_type = kind.type;
    if (kind.type === "histogram" || kind.type === "summary") {
      const q = p.quantileValues ?? [];
      doc[m.name] = {
        Min: kind.type === "summary" ? num(q[0]?.value) : num(p.min),
        Max: kind.type === "summary" ? num(q[q.length - 1]?.value) : num(p.max),
        Sum: num(p.sum),
        Count: num(p.count),
      };
    } else {
      doc[m.name] = num(p.value);
    }
    out.push(doc);
  }
  return out;
}
