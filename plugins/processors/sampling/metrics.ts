/**
 * The sampler's metrics (Fluent Bit has none, issue #10533): traces pending, kept,
 * dropped, decided early, late spans by what their trace's decision was, evictions,
 * spans in/kept/dropped, and the decision latency (first span seen to decision) as
 * a Prometheus histogram written as `_bucket{le}`, `_sum` and `_count` series.
 * Counts gather in plain fields and reach the registry once per chunk or timer
 * tick (`flush`), not once per span.
 */
import type {
  MetricFamily as Metric,
  MetricLabels as Labels,
  PluginMetrics as MetricsRegistry,
} from "../../../src/plugin.ts";

/** Histogram bucket bounds of the decision latency, in seconds. */
export const LATENCY_BUCKETS: readonly number[] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** What a late span's trace had been decided as. */
export type LateDecision = "keep" | "drop" | "undecided";

/** The sampling metrics of one processor instance, labelled `name`. */
export class SamplingMetrics {
  readonly #labels: Labels;
  readonly #pending: Metric;
  readonly #kept: Metric;
  readonly #dropped: Metric;
  readonly #early: Metric;
  readonly #late: Metric;
  readonly #evictions: Metric;
  readonly #spansIn: Metric;
  readonly #spansOut: Metric;
  readonly #spansDropped: Metric;
  readonly #bucket: Metric;
  readonly #sum: Metric;
  readonly #count: Metric;
  #n = { kept: 0, dropped: 0, early: 0, evictions: 0, spansIn: 0, spansOut: 0, spansDropped: 0 };
  #lateN = { keep: 0, drop: 0, undecided: 0 };
  #buckets = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
  #latencySum = 0;
  #latencyCount = 0;
  #pendingValue = 0;

  constructor(registry: MetricsRegistry, name: string) {
    const labels = { name };
    this.#labels = labels;
    const p = "sluice_sampling_";
    this.#pending = registry.gauge(`${p}traces_pending`, "Traces buffered awaiting a decision.");
    this.#kept = registry.counter(`${p}traces_kept_total`, "Traces kept by tail sampling.");
    this.#dropped = registry.counter(`${p}traces_dropped_total`, "Traces dropped by sampling.");
    this.#early = registry.counter(
      `${p}traces_decided_early_total`,
      "Traces decided before their wait ended because max_traces or max_buffered_bytes was hit.",
    );
    this.#late = registry.counter(
      `${p}late_spans_total`,
      "Spans that arrived after their trace was decided, by that decision.",
    );
    this.#evictions = registry.counter(
      `${p}evictions_total`,
      "Traces dropped unevaluated to stay within max_traces or max_buffered_bytes (drop_oldest).",
    );
    this.#spansIn = registry.counter(`${p}spans_in_total`, "Spans into the sampler.");
    this.#spansOut = registry.counter(`${p}spans_out_total`, "Spans the sampler passed on.");
    this.#spansDropped = registry.counter(`${p}spans_dropped_total`, "Spans the sampler dropped.");
    const h = `${p}decision_latency_seconds`;
    this.#bucket = registry.counter(`${h}_bucket`, "Decision latency histogram buckets.");
    this.#sum = registry.counter(`${h}_sum`, "Total decision latency in seconds.");
    this.#count = registry.counter(`${h}_count`, "Number of decisions timed.");
    for (const m of [this.#pending, this.#kept, this.#dropped, this.#early, this.#evictions]) {
      m.touch(labels);
    }
    for (const m of [this.#spansIn, this.#spansOut, this.#spansDropped, this.#sum, this.#count]) {
      m.touch(labels);
    }
    for (const d of ["keep", "drop", "undecided"]) this.#late.touch({ ...labels, decision: d });
    for (const le of LATENCY_BUCKETS) this.#bucket.touch({ ...labels, le: String(le) });
    this.#bucket.touch({ ...labels, le: "+Inf" });
  }

  /** Counts spans in, passed on and dropped (held spans leave later than they came in). */
  spans(spansIn: number, spansOut: number, spansDropped = spansIn - spansOut): void {
    this.#n.spansIn += spansIn;
    this.#n.spansOut += spansOut;
    this.#n.spansDropped += spansDropped;
  }

  /** Counts a trace decision and how long after its first span it came. */
  decided(keep: boolean, latencySeconds: number): void {
    if (keep) this.#n.kept++;
    else this.#n.dropped++;
    let i = 0;
    while (i < LATENCY_BUCKETS.length && latencySeconds > LATENCY_BUCKETS[i]!) i++;
    this.#buckets[i] = (this.#buckets[i] ?? 0) + 1;
    this.#latencySum += latencySeconds;
    this.#latencyCount++;
  }

  /** Counts a trace decided before its wait ended (decide_early). */
  decidedEarly(): void {
    this.#n.early++;
  }

  /** Counts a trace dropped unevaluated (drop_oldest). */
  evicted(): void {
    this.#n.evictions++;
    this.#n.dropped++;
  }

  /** Counts a span arriving after its trace was decided. */
  late(decision: LateDecision): void {
    this.#lateN[decision]++;
  }

  /** Sets the number of traces pending. */
  pending(n: number): void {
    this.#pendingValue = n;
  }

  /** Writes the gathered counts to the registry. */
  flush(): void {
    const l = this.#labels;
    const n = this.#n;
    this.#pending.set(l, this.#pendingValue);
    if (n.kept) this.#kept.inc(l, n.kept);
    if (n.dropped) this.#dropped.inc(l, n.dropped);
    if (n.early) this.#early.inc(l, n.early);
    if (n.evictions) this.#evictions.inc(l, n.evictions);
    if (n.spansIn) this.#spansIn.inc(l, n.spansIn);
    if (n.spansOut) this.#spansOut.inc(l, n.spansOut);
    if (n.spansDropped) this.#spansDropped.inc(l, n.spansDropped);
    this.#n = {
      kept: 0,
      dropped: 0,
      early: 0,
      evictions: 0,
      spansIn: 0,
      spansOut: 0,
      spansDropped: 0,
    };
    for (const d of ["keep", "drop", "undecided"] as const) {
      if (this.#lateN[d]) this.#late.inc({ ...l, decision: d }, this.#lateN[d]);
      this.#lateN[d] = 0;
    }
    if (this.#latencyCount === 0) return;
    let cumulative = 0;
    for (const [i, count] of this.#buckets.entries()) {
      cumulative += count;
      this.#buckets[i] = 0;
      if (cumulative === 0) continue;
      const le = i < LATENCY_BUCKETS.length ? String(LATENCY_BUCKETS[i]) : "+Inf";
      this.#bucket.inc({ ...l, le }, cumulative);
    }
    this.#sum.inc(l, this.#latencySum);
    this.#count.inc(l, this.#latencyCount);
    this.#latencySum = 0;
    this.#latencyCount = 0;
  }
}
