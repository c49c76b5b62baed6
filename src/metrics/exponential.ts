/**
 * An OTLP exponential histogram point as explicit buckets, for formats that have only
 * those (the Prometheus text format, remote write without native histograms): each
 * exponential bucket becomes one explicit bucket with the same upper bound, the zero bucket
 * one bounded by the zero threshold. Counts, sum, bounds of every bucket are kept.
 */
import type { ExponentialHistogramDataPoint, HistogramDataPoint } from "../otlp/metric_data.ts";

/**
 * The explicit-bucket point holding the same measurements as `p`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const h = explicitFromExponential({
 *   attributes: {}, startTimeUnixNano: 0n, timeUnixNano: 1n, flags: 0, count: 3n, sum: 6,
 *   scale: 0, zeroCount: 0n, positive: { offset: 0, bucketCounts: [1n, 2n] },
 *   negative: { offset: 0, bucketCounts: [] }, exemplars: [], min: null, max: null,
 *   zeroThreshold: 0,
 * });
 * assertEquals(h.explicitBounds, [0, 2, 4]);
 * assertEquals(h.bucketCounts, [0n, 1n, 2n, 0n]);
 * ```
 */
export function explicitFromExponential(p: ExponentialHistogramDataPoint): HistogramDataPoint {
  // base^i as 2^(i * 2^-scale): exact where that exponent is an integer.
  const step = Math.pow(2, -p.scale);
  const power = (i: number) => Math.pow(2, i * step);
  const bounds: number[] = [];
  const counts: bigint[] = [];
  const neg = p.negative.bucketCounts;
  // Negative buckets, most negative first: bucket i holds (-base^(i+1), -base^i].
  for (let k = neg.length - 1; k >= 0; k--) {
    bounds.push(-power(p.negative.offset + k));
    counts.push(neg[k]!);
  }
  bounds.push(p.zeroThreshold);
  counts.push(p.zeroCount);
  const pos = p.positive.bucketCounts;
  for (let k = 0; k < pos.length; k++) {
    bounds.push(power(p.positive.offset + k + 1));
    counts.push(pos[k]!);
  }
  counts.push(0n);
  return {
    attributes: p.attributes,
    startTimeUnixNano: p.startTimeUnixNano,
    timeUnixNano: p.timeUnixNano,
    flags: p.flags,
    count: p.count,
    sum: p.sum,
    bucketCounts: counts,
    explicitBounds: bounds,
    exemplars: p.exemplars,
    min: p.min,
    max: p.max,
  };
}
