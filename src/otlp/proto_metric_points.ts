/**
 * Protobuf reading of the metric data points (NumberDataPoint, HistogramDataPoint,
 * ExponentialHistogramDataPoint, SummaryDataPoint, Exemplar), field numbers from
 * opentelemetry/proto/metrics/v1/metrics.proto. Repeated scalars are read packed or not.
 */
import { EMPTY_ID } from "./hex.ts";
import type {
  DataPointBase,
  Exemplar,
  ExponentialBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
} from "./metric_data.ts";
import { endAt, I64, LEN, readKeyValueInto, skipField, subEnd, VARINT } from "./proto_common.ts";
import type { OtlpReader } from "./proto_reader.ts";

function base(): DataPointBase {
  return { attributes: {}, startTimeUnixNano: 0n, timeUnixNano: 0n, flags: 0 };
}

/** Reads a length-prefixed NumberDataPoint. */
export function readNumberPoint(r: OtlpReader): NumberDataPoint {
  const end = subEnd(r);
  const p: NumberDataPoint = { ...base(), value: null, exemplars: [] };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((7 << 3) | LEN)) readKeyValueInto(r, p.attributes);
    else if (tag === ((2 << 3) | I64)) p.startTimeUnixNano = r.u64();
    else if (tag === ((3 << 3) | I64)) p.timeUnixNano = r.u64();
    else if (tag === ((4 << 3) | I64)) p.value = r.double();
    else if (tag === ((6 << 3) | I64)) p.value = r.sfixed64() as bigint;
    else if (tag === ((5 << 3) | LEN)) p.exemplars.push(readExemplar(r));
    else if (tag === ((8 << 3) | VARINT)) p.flags = r.uint32();
    else skipField(r, tag);
  }
  endAt(r, end);
  return p;
}

function readExemplar(r: OtlpReader): Exemplar {
  const end = subEnd(r);
  const e: Exemplar = {
    filteredAttributes: {},
    timeUnixNano: 0n,
    value: null,
    spanId: EMPTY_ID,
    traceId: EMPTY_ID,
  };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((7 << 3) | LEN)) readKeyValueInto(r, e.filteredAttributes);
    else if (tag === ((2 << 3) | I64)) e.timeUnixNano = r.u64();
    else if (tag === ((3 << 3) | I64)) e.value = r.double();
    else if (tag === ((6 << 3) | I64)) e.value = r.sfixed64() as bigint;
    else if (tag === ((4 << 3) | LEN)) e.spanId = r.id();
    else if (tag === ((5 << 3) | LEN)) e.traceId = r.id();
    else skipField(r, tag);
  }
  endAt(r, end);
  return e;
}

/** Reads repeated fixed64 (packed or not) into `out`. */
function readFixed64s(r: OtlpReader, tag: number, out: bigint[]): void {
  if ((tag & 7) === I64) {
    out.push(r.u64());
    return;
  }
  const end = subEnd(r);
  while (r.pos < end) out.push(r.u64());
  endAt(r, end);
}

/** Reads repeated double (packed or not) into `out`. */
function readDoubles(r: OtlpReader, tag: number, out: number[]): void {
  if ((tag & 7) === I64) {
    out.push(r.double());
    return;
  }
  const end = subEnd(r);
  while (r.pos < end) out.push(r.double());
  endAt(r, end);
}

/** Reads a length-prefixed HistogramDataPoint. */
export function readHistogramPoint(r: OtlpReader): HistogramDataPoint {
  const end = subEnd(r);
  const p: HistogramDataPoint = {
    ...base(),
    count: 0n,
    sum: null,
    bucketCounts: [],
    explicitBounds: [],
    exemplars: [],
    min: null,
    max: null,
  };
  while (r.pos < end) {
    const tag = r.uint32();
    const f = tag >>> 3;
    const wt = tag & 7;
    if (f === 9 && wt === LEN) readKeyValueInto(r, p.attributes);
    else if (f === 2 && wt === I64) p.startTimeUnixNano = r.u64();
    else if (f === 3 && wt === I64) p.timeUnixNano = r.u64();
    else if (f === 4 && wt === I64) p.count = r.u64();
    else if (f === 5 && wt === I64) p.sum = r.double();
    else if (f === 6 && (wt === I64 || wt === LEN)) readFixed64s(r, tag, p.bucketCounts);
    else if (f === 7 && (wt === I64 || wt === LEN)) readDoubles(r, tag, p.explicitBounds);
    else if (f === 8 && wt === LEN) p.exemplars.push(readExemplar(r));
    else if (f === 10 && wt === VARINT) p.flags = r.uint32();
    else if (f === 11 && wt === I64) p.min = r.double();
    else if (f === 12 && wt === I64) p.max = r.double();
    else skipField(r, tag);
  }
  endAt(r, end);
  return p;
}

function readBuckets(r: OtlpReader): ExponentialBuckets {
  const end = subEnd(r);
  const b: ExponentialBuckets = { offset: 0, bucketCounts: [] };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | VARINT)) b.offset = r.sint32();
    else if (tag === ((2 << 3) | VARINT)) b.bucketCounts.push(r.uint64() as bigint);
    else if (tag === ((2 << 3) | LEN)) {
      const e = subEnd(r);
      while (r.pos < e) b.bucketCounts.push(r.uint64() as bigint);
      endAt(r, e);
    } else skipField(r, tag);
  }
  endAt(r, end);
  return b;
}

/** Reads a length-prefixed ExponentialHistogramDataPoint. */
export function readExponentialPoint(r: OtlpReader): ExponentialHistogramDataPoint {
  const end = subEnd(r);
  const p: ExponentialHistogramDataPoint = {
    ...base(),
    count: 0n,
    sum: null,
    scale: 0,
    zeroCount: 0n,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
    exemplars: [],
    min: null,
    max: null,
    zeroThreshold: 0,
  };
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | LEN:
        readKeyValueInto(r, p.attributes);
        break;
      case (2 << 3) | I64:
        p.startTimeUnixNano = r.u64();
        break;
      case (3 << 3) | I64:
        p.timeUnixNano = r.u64();
        break;
      case (4 << 3) | I64:
        p.count = r.u64();
        break;
      case (5 << 3) | I64:
        p.sum = r.double();
        break;
      case (6 << 3) | VARINT:
        p.scale = r.sint32();
        break;
      case (7 << 3) | I64:
        p.zeroCount = r.u64();
        break;
      case (8 << 3) | LEN:
        p.positive = readBuckets(r);
        break;
      case (9 << 3) | LEN:
        p.negative = readBuckets(r);
        break;
      case (10 << 3) | VARINT:
        p.flags = r.uint32();
        break;
      case (11 << 3) | LEN:
        p.exemplars.push(readExemplar(r));
        break;
      case (12 << 3) | I64:
        p.min = r.double();
        break;
      case (13 << 3) | I64:
        p.max = r.double();
        break;
      case (14 << 3) | I64:
        p.zeroThreshold = r.double();
        break;
      default:
        skipField(r, tag);
    }
  }
  endAt(r, end);
  return p;
}

/** Reads a length-prefixed SummaryDataPoint. */
export function readSummaryPoint(r: OtlpReader): SummaryDataPoint {
  const end = subEnd(r);
  const p: SummaryDataPoint = { ...base(), count: 0n, sum: 0, quantileValues: [] };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((7 << 3) | LEN)) readKeyValueInto(r, p.attributes);
    else if (tag === ((2 << 3) | I64)) p.startTimeUnixNano = r.u64();
    else if (tag === ((3 << 3) | I64)) p.timeUnixNano = r.u64();
    else if (tag === ((4 << 3) | I64)) p.count = r.u64();
    else if (tag === ((5 << 3) | I64)) p.sum = r.double();
    else if (tag === ((8 << 3) | VARINT)) p.flags = r.uint32();
    else if (tag === ((6 << 3) | LEN)) {
      const e = subEnd(r);
      const q = { quantile: 0, value: 0 };
      while (r.pos < e) {
        const t = r.uint32();
        if (t === ((1 << 3) | I64)) q.quantile = r.double();
        else if (t === ((2 << 3) | I64)) q.value = r.double();
        else skipField(r, t);
      }
      endAt(r, e);
      p.quantileValues.push(q);
    } else skipField(r, tag);
  }
  endAt(r, end);
  return p;
}
