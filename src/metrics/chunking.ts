/**
 * Splits a batch of metric records into chunk-sized batches: a family with more points than
 * fit is cut into several records of the same metric, each with part of the points.
 */
import type { MetricRecord } from "../event/metric.ts";
import { dataPoints } from "./model.ts";

/** One chunk's worth: the records and their estimated bytes. */
export interface MetricBatch {
  /** The records (a family split over batches is several records of one metric). */
  records: MetricRecord[];
  /** Their estimated size, for buffer accounting. */
  bytes: number;
}

/**
 * `metrics` in batches of about `maxBytes`, a point being estimated at `bytesPerPoint`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { gaugeData, newMetric, numberPoint } from "./model.ts";
 *
 * const m = newMetric("g", gaugeData([1, 2, 3].map((v) => numberPoint({}, v, 0n))));
 * assertEquals(splitMetrics([m], { maxBytes: 20, bytesPerPoint: 10 }).length, 2);
 * ```
 */
export function splitMetrics(
  metrics: readonly MetricRecord[],
  options: { maxBytes: number; bytesPerPoint: number },
): MetricBatch[] {
  const per = Math.max(1, options.bytesPerPoint);
  const room = Math.max(1, Math.floor(options.maxBytes / per));
  const out: MetricBatch[] = [];
  let current: MetricRecord[] = [];
  let used = 0;
  const flush = () => {
    if (current.length > 0) out.push({ records: current, bytes: Math.ceil(used * per) });
    current = [];
    used = 0;
  };
  for (const m of metrics) {
    const points = dataPoints(m);
    let from = 0;
    while (from < points.length || (points.length === 0 && from === 0)) {
      if (used >= room) flush();
      const take = Math.max(1, Math.min(points.length - from, room - used));
      if (from === 0 && take >= points.length) current.push(m);
      else current.push(withPoints(m, points.slice(from, from + take)));
      used += take;
      from += take;
      if (points.length === 0) break;
    }
  }
  flush();
  return out;
}

function withPoints(m: MetricRecord, points: unknown[]): MetricRecord {
  const [kind, inner] = Object.entries(m.data)[0]!;
  return { ...m, data: { [kind]: { ...(inner as object), dataPoints: points } } };
}
