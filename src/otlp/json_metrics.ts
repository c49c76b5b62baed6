/**
 * OTLP/JSON ExportMetricsServiceRequest ↔ MetricRecord[] for all five data kinds
 * (gauge, sum, histogram, exponentialHistogram, summary).
 */
import type { MetricRecord } from "../event/metric.ts";
import { jsonAttributes, walkJsonRequest } from "./json_common.ts";
import {
  jsonArray,
  jsonBool,
  jsonEntry,
  jsonEnum,
  type JsonObject,
  jsonObject,
  jsonString,
} from "./json_read.ts";
import {
  exponentialPointToJson,
  histogramPointToJson,
  jsonExponentialPoint,
  jsonHistogramPoint,
  jsonNumberPoint,
  jsonSummaryPoint,
  numberPointToJson,
  summaryPointToJson,
} from "./json_metric_points.ts";
import { attributesToJson, groupedJsonBody, type JsonOut, putIf } from "./json_write.ts";
import type { MetricData } from "./metric_data.ts";

/** AggregationTemporality names (integers are what OTLP/JSON mandates). */
export const TEMPORALITY_NAMES: Record<string, number> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

const KEYS = {
  resource: ["resourceMetrics", "resource_metrics"],
  scope: ["scopeMetrics", "scope_metrics"],
  item: ["metrics", "metrics"],
} as { resource: [string, string]; scope: [string, string]; item: [string, string] };

/** Decodes a parsed OTLP/JSON metrics request into metric records. */
export function decodeMetricsJson(root: unknown): MetricRecord[] {
  const out: MetricRecord[] = [];
  walkJsonRequest(root, KEYS, (items, path, g) => {
    for (let i = 0; i < items.length; i++) {
      const p = `${path}[${i}]`;
      const o = jsonEntry(items[i], p);
      const m: MetricRecord = {
        resource: g.resource,
        scope: g.scope,
        name: jsonString(o.name, `${p}.name`),
        description: jsonString(o.description, `${p}.description`),
        unit: jsonString(o.unit, `${p}.unit`),
        metadata: jsonAttributes(o.metadata, `${p}.metadata`),
        data: {},
      };
      for (const k in o) {
        const data = jsonData(k, o[k], p);
        if (data !== null) m.data = data;
      }
      out.push(m);
    }
  });
  return out;
}

function points<T>(o: JsonObject, path: string, read: (v: unknown, p: string) => T): T[] {
  const list = jsonArray(o.dataPoints ?? o.data_points, `${path}.dataPoints`);
  return list.map((v, i) => read(v, `${path}.dataPoints[${i}]`));
}

function temporality(o: JsonObject, path: string): number {
  const v = o.aggregationTemporality ?? o.aggregation_temporality;
  return jsonEnum(v, `${path}.aggregationTemporality`, TEMPORALITY_NAMES);
}

function jsonData(key: string, value: unknown, path: string): MetricData | null {
  switch (key) {
    case "gauge": {
      const p = `${path}.gauge`;
      const o = jsonObject(value, p) ?? {};
      return { gauge: { dataPoints: points(o, p, jsonNumberPoint) } };
    }
    case "sum": {
      const p = `${path}.sum`;
      const o = jsonObject(value, p) ?? {};
      return {
        sum: {
          dataPoints: points(o, p, jsonNumberPoint),
          aggregationTemporality: temporality(o, p),
          isMonotonic: jsonBool(o.isMonotonic ?? o.is_monotonic, `${p}.isMonotonic`),
        },
      };
    }
    case "histogram": {
      const p = `${path}.histogram`;
      const o = jsonObject(value, p) ?? {};
      return {
        histogram: {
          dataPoints: points(o, p, jsonHistogramPoint),
          aggregationTemporality: temporality(o, p),
        },
      };
    }
    case "exponentialHistogram":
    case "exponential_histogram": {
      const p = `${path}.exponentialHistogram`;
      const o = jsonObject(value, p) ?? {};
      return {
        exponentialHistogram: {
          dataPoints: points(o, p, jsonExponentialPoint),
          aggregationTemporality: temporality(o, p),
        },
      };
    }
    case "summary": {
      const p = `${path}.summary`;
      const o = jsonObject(value, p) ?? {};
      return { summary: { dataPoints: points(o, p, jsonSummaryPoint) } };
    }
  }
  return null;
}

/** Encodes metric records as an OTLP/JSON ExportMetricsServiceRequest body. */
export function encodeMetricsJson(metrics: readonly MetricRecord[]): Uint8Array {
  return groupedJsonBody(metrics, {
    resource: "resourceMetrics",
    scope: "scopeMetrics",
    item: "metrics",
  }, metricToJson);
}

function metricToJson(m: MetricRecord): JsonOut {
  const o: JsonOut = { name: m.name };
  putIf(o, "description", m.description);
  putIf(o, "unit", m.unit);
  const d = m.data as MetricData;
  if ("gauge" in d) o.gauge = { dataPoints: d.gauge.dataPoints.map(numberPointToJson) };
  else if ("sum" in d) {
    const s: JsonOut = { dataPoints: d.sum.dataPoints.map(numberPointToJson) };
    putIf(s, "aggregationTemporality", d.sum.aggregationTemporality);
    putIf(s, "isMonotonic", d.sum.isMonotonic);
    o.sum = s;
  } else if ("histogram" in d) {
    const h: JsonOut = { dataPoints: d.histogram.dataPoints.map(histogramPointToJson) };
    putIf(h, "aggregationTemporality", d.histogram.aggregationTemporality);
    o.histogram = h;
  } else if ("exponentialHistogram" in d) {
    const e = d.exponentialHistogram;
    const h: JsonOut = { dataPoints: e.dataPoints.map(exponentialPointToJson) };
    putIf(h, "aggregationTemporality", e.aggregationTemporality);
    o.exponentialHistogram = h;
  } else if ("summary" in d) {
    o.summary = { dataPoints: d.summary.dataPoints.map(summaryPointToJson) };
  }
  putIf(o, "metadata", attributesToJson(m.metadata));
  return o;
}
