/**
 * ExportMetricsServiceRequest protobuf ↔ MetricRecord[], field numbers from
 * opentelemetry/proto/metrics/v1/metrics.proto and collector/metrics/v1/metrics_service.proto.
 */
import type { ProtoWriter } from "./proto_writer.ts";
import type { MetricRecord } from "../event/metric.ts";
import { emptyScope, type Resource, type Scope } from "../event/span.ts";
import type {
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  MetricData,
  NumberDataPoint,
  SummaryDataPoint,
} from "./metric_data.ts";
import {
  decodeResourceGroups,
  endAt,
  LEN,
  type ProtoLocation,
  readKeyValueInto,
  readScopeInto,
  skipField,
  subEnd,
  VARINT,
} from "./proto_common.ts";
import { encodeResourceGroups, writeAttributes } from "./proto_write.ts";
import {
  readExponentialPoint,
  readHistogramPoint,
  readNumberPoint,
  readSummaryPoint,
} from "./proto_metric_points.ts";
import {
  writeExponentialPoint,
  writeHistogramPoint,
  writeNumberPoint,
  writeSummaryPoint,
} from "./proto_metric_write.ts";
import type { OtlpReader } from "./proto_reader.ts";

const NAMES = ["resourceMetrics", "scopeMetrics", "metrics"] as const;

/** Decodes an ExportMetricsServiceRequest (or MetricsData) into metric records. */
export function decodeMetricsProto(body: Uint8Array): MetricRecord[] {
  const out: MetricRecord[] = [];
  decodeResourceGroups(body, NAMES, (r, resource, loc) => readScopeMetrics(r, resource, out, loc));
  return out;
}

function readScopeMetrics(
  r: OtlpReader,
  resource: Resource,
  out: MetricRecord[],
  loc: ProtoLocation,
): void {
  const end = subEnd(r);
  const scope = emptyScope();
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((2 << 3) | LEN)) {
      loc.item++;
      out.push(readMetric(r, resource, scope));
    } else if (tag === ((1 << 3) | LEN)) readScopeInto(r, scope);
    else if (tag === ((3 << 3) | LEN)) scope.schemaUrl = r.str();
    else skipField(r, tag);
  }
  endAt(r, end);
  loc.item = -1;
}

function readMetric(r: OtlpReader, resource: Resource, scope: Scope): MetricRecord {
  const end = subEnd(r);
  const m: MetricRecord = {
    resource,
    scope,
    name: "",
    description: "",
    unit: "",
    metadata: {},
    data: {},
  };
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | LEN:
        m.name = r.str();
        break;
      case (2 << 3) | LEN:
        m.description = r.str();
        break;
      case (3 << 3) | LEN:
        m.unit = r.str();
        break;
      case (5 << 3) | LEN:
      case (7 << 3) | LEN:
      case (9 << 3) | LEN:
      case (10 << 3) | LEN:
      case (11 << 3) | LEN:
        m.data = readData(r, tag >>> 3);
        break;
      case (12 << 3) | LEN:
        readKeyValueInto(r, m.metadata);
        break;
      default:
        skipField(r, tag);
    }
  }
  endAt(r, end);
  return m;
}

function readData(r: OtlpReader, field: number): MetricData {
  const end = subEnd(r);
  const points: unknown[] = [];
  let temporality = 0;
  let monotonic = false;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LEN)) {
      if (field === 5 || field === 7) points.push(readNumberPoint(r));
      else if (field === 9) points.push(readHistogramPoint(r));
      else if (field === 10) points.push(readExponentialPoint(r));
      else points.push(readSummaryPoint(r));
    } else if (tag === ((2 << 3) | VARINT) && field !== 5 && field !== 11) {
      temporality = r.int32();
    } else if (tag === ((3 << 3) | VARINT) && field === 7) monotonic = r.bool();
    else skipField(r, tag);
  }
  endAt(r, end);
  switch (field) {
    case 5:
      return { gauge: { dataPoints: points as NumberDataPoint[] } };
    case 7:
      return {
        sum: {
          dataPoints: points as NumberDataPoint[],
          aggregationTemporality: temporality,
          isMonotonic: monotonic,
        },
      };
    case 9:
      return {
        histogram: {
          dataPoints: points as HistogramDataPoint[],
          aggregationTemporality: temporality,
        },
      };
    case 10:
      return {
        exponentialHistogram: {
          dataPoints: points as ExponentialHistogramDataPoint[],
          aggregationTemporality: temporality,
        },
      };
    default:
      return { summary: { dataPoints: points as SummaryDataPoint[] } };
  }
}

/** Encodes metric records as an ExportMetricsServiceRequest, one ResourceMetrics per resource. */
export function encodeMetricsProto(metrics: readonly MetricRecord[]): Uint8Array {
  return encodeResourceGroups(metrics, writeMetric);
}

function writeMetric(w: ProtoWriter, m: MetricRecord): void {
  w.tag(2, LEN).fork();
  if (m.name !== "") w.tag(1, LEN).string(m.name);
  if (m.description !== "") w.tag(2, LEN).string(m.description);
  if (m.unit !== "") w.tag(3, LEN).string(m.unit);
  const d = m.data as MetricData;
  if ("gauge" in d) {
    w.tag(5, LEN).fork();
    for (const p of d.gauge.dataPoints) writeNumberPoint(w, 1, p);
    w.join();
  } else if ("sum" in d) {
    w.tag(7, LEN).fork();
    for (const p of d.sum.dataPoints) writeNumberPoint(w, 1, p);
    writeTemporality(w, d.sum.aggregationTemporality);
    if (d.sum.isMonotonic) w.tag(3, VARINT).bool(true);
    w.join();
  } else if ("histogram" in d) {
    w.tag(9, LEN).fork();
    for (const p of d.histogram.dataPoints) writeHistogramPoint(w, 1, p);
    writeTemporality(w, d.histogram.aggregationTemporality);
    w.join();
  } else if ("exponentialHistogram" in d) {
    w.tag(10, LEN).fork();
    for (const p of d.exponentialHistogram.dataPoints) writeExponentialPoint(w, 1, p);
    writeTemporality(w, d.exponentialHistogram.aggregationTemporality);
    w.join();
  } else if ("summary" in d) {
    w.tag(11, LEN).fork();
    for (const p of d.summary.dataPoints) writeSummaryPoint(w, 1, p);
    w.join();
  }
  writeAttributes(w, 12, m.metadata);
  w.join();
}

function writeTemporality(w: ProtoWriter, t: number): void {
  if (t !== 0) w.tag(2, VARINT).int32(t);
}
