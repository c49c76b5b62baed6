/**
 * Fluent Bit's health check: unhealthy when, within the last `hc_period` seconds, the summed
 * output errors exceed `hc_errors_count` or the summed retry failures exceed
 * `hc_retry_failure_count`. Counters are cumulative, so the window is kept as snapshots.
 */

import type { MetricsRegistry } from "../engine/metrics.ts";

/** Most snapshots a window keeps; long periods are sampled more coarsely to stay under it. */
export const MAX_SNAPSHOTS = 512;

/** Cumulative output error counts at one moment. */
export interface HealthCounts {
  errors: number;
  retriesFailed: number;
}

interface Snapshot extends HealthCounts {
  t: number;
}

/**
 * Error and retry-failure counts over a sliding window, from snapshots of the cumulative
 * counters taken at most once per step (one second, or period/512 for long periods).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const w = new HealthWindow(60);
 * w.observe(0, { errors: 0, retriesFailed: 0 });
 * assertEquals(w.counts(30_000, { errors: 7, retriesFailed: 0 }), { errors: 7, retriesFailed: 0 });
 * // 95 s later the snapshot at 0 left the 60 s window: the errors are old news.
 * assertEquals(w.counts(95_000, { errors: 7, retriesFailed: 0 }), { errors: 0, retriesFailed: 0 });
 * ```
 */
export class HealthWindow {
  readonly periodMs: number;
  readonly stepMs: number;
  #snaps: Snapshot[] = [];

  constructor(periodSeconds: number) {
    this.periodMs = Math.max(1, periodSeconds) * 1000;
    this.stepMs = Math.max(1000, Math.ceil(this.periodMs / MAX_SNAPSHOTS));
  }

  /** Number of snapshots held (bounded by about period/step + 2). */
  get size(): number {
    return this.#snaps.length;
  }

  /** Records the cumulative counters at `nowMs` if a step has passed since the last snapshot. */
  observe(nowMs: number, current: HealthCounts): void {
    const last = this.#snaps[this.#snaps.length - 1];
    if (!last || nowMs - last.t >= this.stepMs) {
      this.#snaps.push({ t: nowMs, errors: current.errors, retriesFailed: current.retriesFailed });
    }
    // Keep exactly one snapshot at or before the window start: the baseline.
    const start = nowMs - this.periodMs;
    let drop = 0;
    while (drop + 1 < this.#snaps.length && this.#snaps[drop + 1]!.t <= start) drop++;
    if (drop > 0) this.#snaps.splice(0, drop);
  }

  /** Errors and retry failures within the window ending at `nowMs`. */
  counts(nowMs: number, current: HealthCounts): HealthCounts {
    this.observe(nowMs, current);
    const base = this.#snaps[0]!; // observe() leaves at least one snapshot
    return {
      errors: Math.max(0, current.errors - base.errors),
      retriesFailed: Math.max(0, current.retriesFailed - base.retriesFailed),
    };
  }
}

function sum(metrics: MetricsRegistry, family: string): number {
  let total = 0;
  const m = metrics.families.get(family);
  if (m) { for (const s of m.series.values()) total += s.value; }
  return total;
}

/** The cumulative output errors and retry failures summed over every output. */
export function outputCounts(metrics: MetricsRegistry): HealthCounts {
  return {
    errors: sum(metrics, "fluentbit_output_errors_total"),
    retriesFailed: sum(metrics, "fluentbit_output_retries_failed_total"),
  };
}

/** The limits of the health rule, from the service keys `hc_*`. */
export interface HealthLimits {
  errorLimit: number;
  retryFailureLimit: number;
  periodSeconds: number;
}

/** The `/api/v2/health` body, in Fluent Bit's key order. */
export interface HealthReport {
  status: "ok" | "error";
  errors: number;
  retries_failed: number;
  error_limit: number;
  retry_failure_limit: number;
  period_limit: number;
}

/** Applies Fluent Bit's rule (strictly greater than the limit is unhealthy) to window counts. */
export function healthReport(counts: HealthCounts, limits: HealthLimits): HealthReport {
  const bad = counts.errors > limits.errorLimit ||
    counts.retriesFailed > limits.retryFailureLimit;
  return {
    status: bad ? "error" : "ok",
    errors: counts.errors,
    retries_failed: counts.retriesFailed,
    error_limit: limits.errorLimit,
    retry_failure_limit: limits.retryFailureLimit,
    period_limit: limits.periodSeconds,
  };
}
