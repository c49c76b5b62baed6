/**
 * Histogram and summary series of a text exposition, gathered by their labels less `le` or
 * `quantile`: bucket and quantile samples, `_sum`, `_count` and `_created`, then turned
 * into OTLP points (cumulative bucket counts become per-bucket counts).
 */
import type { Attributes } from "../../event/span.ts";
import type { HistogramDataPoint, SummaryDataPoint } from "../../otlp/metric_data.ts";
import { createdNanos, LineError, parseValue } from "./lexer.ts";

/** One histogram or summary series being gathered. */
export interface Grouped {
  /** The series' labels less `le`/`quantile`. */
  attrs: Attributes;
  /** Its time (ns), of its first sample. */
  ts: bigint;
  /** Its `_created` time (ns); 0n when none. */
  start: bigint;
  /** `[le or quantile, value]` pairs. */
  entries: [number, number][];
  /** Its `_sum`, null until given. */
  sum: number | null;
  /** Its `_count`, null until given. */
  count: number | null;
}

/** One sample of a grouped family. */
export interface GroupSample {
  /** The sample's labels less the special one. */
  attrs: Attributes;
  /** The series key (labels less the special one). */
  key: string;
  /** The `le` or `quantile` label's value; "" when absent. */
  special: string;
  /** The sample name's suffix past the family name ("", `_bucket`, `_sum`, ...). */
  suffix: string;
  /** The sample's value. */
  value: number;
  /** The sample's time (ns). */
  ts: bigint;
}

/** Adds `s` to its series in `groups`; false when that exact sample was already given. */
export function addGroupSample(groups: Map<string, Grouped>, s: GroupSample): boolean {
  let g = groups.get(s.key);
  if (g === undefined) {
    g = { attrs: s.attrs, ts: s.ts, start: 0n, entries: [], sum: null, count: null };
    groups.set(s.key, g);
  }
  switch (s.suffix) {
    case "_sum":
    case "_gsum":
      if (g.sum !== null) return false;
      g.sum = s.value;
      return true;
    case "_count":
    case "_gcount":
      if (g.count !== null) return false;
      g.count = s.value;
      return true;
    case "_created":
      g.start = createdNanos(s.value);
      return true;
    default: {
      if (s.special === "") throw new LineError(`expected an "le" or "quantile" label`);
      const at = parseValue(s.special);
      if (g.entries.some(([b]) => b === at)) return false;
      g.entries.push([at, s.value]);
      return true;
    }
  }
}

function count(n: number): bigint {
  return Number.isFinite(n) && n > 0 ? BigInt(Math.round(n)) : 0n;
}

/** The OTLP histogram point of `g`. */
export function histogramPoint(g: Grouped): HistogramDataPoint {
  const buckets = g.entries.slice().sort((a, b) => a[0] - b[0]);
  const explicitBounds: number[] = [];
  const bucketCounts: bigint[] = [];
  let prev = 0;
  let total = g.count;
  for (const [le, cumulative] of buckets) {
    if (le === Infinity) {
      total ??= cumulative;
      break;
    }
    explicitBounds.push(le);
    bucketCounts.push(count(cumulative - prev));
    prev = Math.max(prev, cumulative);
  }
  const all = total ?? prev;
  bucketCounts.push(count(all - prev));
  return {
    attributes: g.attrs,
    startTimeUnixNano: g.start,
    timeUnixNano: g.ts,
    flags: 0,
    count: count(all),
    sum: g.sum,
    bucketCounts,
    explicitBounds,
    exemplars: [],
    min: null,
    max: null,
  };
}

/** The OTLP summary point of `g`. */
export function summaryPoint(g: Grouped): SummaryDataPoint {
  return {
    attributes: g.attrs,
    startTimeUnixNano: g.start,
    timeUnixNano: g.ts,
    flags: 0,
    count: count(g.count ?? 0),
    sum: g.sum ?? 0,
    quantileValues: g.entries.slice().sort((a, b) => a[0] - b[0]).map(([quantile, value]) => ({
      quantile,
      value,
    })),
  };
}
