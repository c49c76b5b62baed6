/**
 * Protobuf writing of the metric data points (NumberDataPoint, HistogramDataPoint,
 * ExponentialHistogramDataPoint, SummaryDataPoint, Exemplar), field numbers from
 * opentelemetry/proto/metrics/v1/metrics.proto. Repeated scalars are written packed and
 * default values are omitted.
 */
import type { ProtoWriter } from "./proto_writer.ts";
import type {
  DataPointBase,
  Exemplar,
  ExponentialBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
} from "./metric_data.ts";
import { I64, LEN, VARINT } from "./proto_common.ts";
import { writeAttributes } from "./proto_write.ts";

function writeTimes(w: ProtoWriter, p: DataPointBase): void {
  if (p.startTimeUnixNano !== 0n) w.tag(2, I64).fixed64(p.startTimeUnixNano);
  if (p.timeUnixNano !== 0n) w.tag(3, I64).fixed64(p.timeUnixNano);
}

function writeValue(w: ProtoWriter, v: number | bigint | null, dbl: number, int: number): void {
  if (typeof v === "number") w.tag(dbl, I64).double(v);
  else if (typeof v === "bigint") w.tag(int, I64).sfixed64(v);
}

function writeExemplars(w: ProtoWriter, fieldNo: number, list: readonly Exemplar[]): void {
  for (const e of list) {
    w.tag(fieldNo, LEN).fork();
    if (e.timeUnixNano !== 0n) w.tag(2, I64).fixed64(e.timeUnixNano);
    writeValue(w, e.value, 3, 6);
    if (e.spanId.length > 0) w.tag(4, LEN).bytes(e.spanId);
    if (e.traceId.length > 0) w.tag(5, LEN).bytes(e.traceId);
    writeAttributes(w, 7, e.filteredAttributes);
    w.join();
  }
}

/** Writes a NumberDataPoint as field `fieldNo`. */
export function writeNumberPoint(w: ProtoWriter, fieldNo: number, p: NumberDataPoint): void {
  w.tag(fieldNo, LEN).fork();
  writeTimes(w, p);
  writeValue(w, p.value, 4, 6);
  writeExemplars(w, 5, p.exemplars);
  writeAttributes(w, 7, p.attributes);
  if (p.flags !== 0) w.tag(8, VARINT).uint32(p.flags);
  w.join();
}

/** Writes a HistogramDataPoint as field `fieldNo`. */
export function writeHistogramPoint(w: ProtoWriter, fieldNo: number, p: HistogramDataPoint) {
  w.tag(fieldNo, LEN).fork();
  writeTimes(w, p);
  if (p.count !== 0n) w.tag(4, I64).fixed64(p.count);
  if (p.sum !== null) w.tag(5, I64).double(p.sum);
  if (p.bucketCounts.length > 0) {
    w.tag(6, LEN).fork();
    for (const c of p.bucketCounts) w.fixed64(c);
    w.join();
  }
  if (p.explicitBounds.length > 0) {
    w.tag(7, LEN).fork();
    for (const b of p.explicitBounds) w.double(b);
    w.join();
  }
  writeExemplars(w, 8, p.exemplars);
  writeAttributes(w, 9, p.attributes);
  if (p.flags !== 0) w.tag(10, VARINT).uint32(p.flags);
  if (p.min !== null) w.tag(11, I64).double(p.min);
  if (p.max !== null) w.tag(12, I64).double(p.max);
  w.join();
}

function writeBuckets(w: ProtoWriter, fieldNo: number, b: ExponentialBuckets): void {
  if (b.offset === 0 && b.bucketCounts.length === 0) return;
  w.tag(fieldNo, LEN).fork();
  if (b.offset !== 0) w.tag(1, VARINT).sint32(b.offset);
  if (b.bucketCounts.length > 0) {
    w.tag(2, LEN).fork();
    for (const c of b.bucketCounts) w.uint64(c);
    w.join();
  }
  w.join();
}

/** Writes an ExponentialHistogramDataPoint as field `fieldNo`. */
export function writeExponentialPoint(
  w: ProtoWriter,
  fieldNo: number,
  p: ExponentialHistogramDataPoint,
): void {
  w.tag(fieldNo, LEN).fork();
  writeAttributes(w, 1, p.attributes);
  writeTimes(w, p);
  if (p.count !== 0n) w.tag(4, I64).fixed64(p.count);
  if (p.sum !== null) w.tag(5, I64).double(p.sum);
  if (p.scale !== 0) w.tag(6, VARINT).sint32(p.scale);
  if (p.zeroCount !== 0n) w.tag(7, I64).fixed64(p.zeroCount);
  writeBuckets(w, 8, p.positive);
  writeBuckets(w, 9, p.negative);
  if (p.flags !== 0) w.tag(10, VARINT).uint32(p.flags);
  writeExemplars(w, 11, p.exemplars);
  if (p.min !== null) w.tag(12, I64).double(p.min);
  if (p.max !== null) w.tag(13, I64).double(p.max);
  if (p.zeroThreshold !== 0) w.tag(14, I64).double(p.zeroThreshold);
  w.join();
}

/** Writes a SummaryDataPoint as field `fieldNo`. */
export function writeSummaryPoint(w: ProtoWriter, fieldNo: number, p: SummaryDataPoint): void {
  w.tag(fieldNo, LEN).fork();
  writeTimes(w, p);
  if (p.count !== 0n) w.tag(4, I64).fixed64(p.count);
  if (p.sum !== 0) w.tag(5, I64).double(p.sum);
  for (const q of p.quantileValues) {
    w.tag(6, LEN).fork();
    if (q.quantile !== 0) w.tag(1, I64).double(q.quantile);
    if (q.value !== 0) w.tag(2, I64).double(q.value);
    w.join();
  }
  writeAttributes(w, 7, p.attributes);
  if (p.flags !== 0) w.tag(8, VARINT).uint32(p.flags);
  w.join();
}
