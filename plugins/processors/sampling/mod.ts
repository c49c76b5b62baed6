/**
 * The `sampling` processor: head (`type: probabilistic`) or tail (`type: tail`)
 * sampling of traces. It reads Fluent Bit's YAML unchanged.
 *
 * ## Fluent Bit keys
 * - `type`: probabilistic | tail (required).
 * - `debug`: logs each decision (tail) at info level.
 * - `sampling_settings`: `sampling_percentage` (probabilistic, 10), `decision_wait` (tail,
 *   30s), `max_traces` (tail, 50000), `legacy_reconcile` (accepted, no effect).
 * - `conditions` (tail): a list of maps with a `type`: `latency` (threshold_ms_low/high),
 *   `span_count` (min_spans, max_spans), `status_code` (status_codes), `string_attribute`
 *   (key, match_type strict|exists|regex, values), `numeric_attribute` (key, match_type
 *   strict|exists, min_value, max_value), `boolean_attribute` (key, value), `trace_state`
 *   (values "k=v"). Attribute conditions look at resource attributes, then span attributes.
 *   A trace is kept when any span matches any condition; no conditions keeps every trace.
 *
 * ## What sluice adds (each has a default that keeps Fluent Bit's behaviour or fixes a loss)
 * - `latency` takes `scope: span|trace` (default span, as Fluent Bit); trace is the trace's
 *   duration from its earliest start to its latest end, as the OTel Collector measures it.
 * - Composite conditions: `{type: and, conditions: [...]}` (all match), `{type: not,
 *   condition: {...}}`, and `{type: drop, conditions: [...]}` at the top level: a trace
 *   matching every condition of a drop is dropped whatever else matches (the OTel
 *   Collector's decision order). With only drop conditions, other traces are kept.
 * - A decision cache (`sampling_settings.decision_cache_keep_size` and
 *   `decision_cache_drop_size`, 100000 each, 0 disables): a span arriving after its trace
 *   was decided is passed on at once when the trace was kept and dropped when it was
 *   dropped, counted in `sluice_sampling_late_spans_total{decision}`. Fluent Bit judges
 *   late spans as a new trace.
 * - Bounded memory: `max_traces` and `max_buffered_bytes` (128M, estimated from chunk
 *   sizes). At either, `max_traces_policy` applies to the oldest trace: `decide_early`
 *   (default) decides it now, `drop_oldest` drops it unevaluated; both are counted
 *   (`..._traces_decided_early_total`, `..._evictions_total`), never silent, and late
 *   spans of an evicted trace are dropped (`decision="undecided"`).
 * - `decision_wait_after_root`: a shorter wait once the root span arrived. Unset (the
 *   default) waits the full `decision_wait`: a root span often ends, and so arrives, last,
 *   but other services' spans may still sit in their exporters' batches.
 * - When the upstream ends (shutdown), every pending trace is decided and passed on.
 * - IDs are compared as full raw bytes (a leading zero byte is fine); a span with an empty
 *   trace ID is judged alone at once. `decision_wait` takes fractions (500ms).
 * - Metrics labelled `name`: `sluice_sampling_traces_pending`, `_traces_kept_total`,
 *   `_traces_dropped_total`, `_traces_decided_early_total`, `_late_spans_total{decision}`,
 *   `_evictions_total`, `_spans_{in,out,dropped}_total` and the
 *   `_decision_latency_seconds` histogram (`_bucket{le}`, `_sum`, `_count`).
 * - A top-level `sampling_percentage` (the Fluent Bit docs' example has it one level too
 *   high, which Fluent Bit rejects as an unknown key) is used, with a warning, when
 *   `sampling_settings` does not set it.
 */
import { defineProcessor } from "../../../src/plugin.ts";
import { samplingOptions } from "./options.ts";

/** The sampling processor plugin. */
export const plugin = defineProcessor({
  name: "sampling",
  description: "Head (probabilistic) or tail sampling of traces",
  signals: ["traces"],
  options: samplingOptions,
  example: { options: { type: "tail" } },
  create: async (values, ctx) => (await import("./sampling.ts")).createSampling(values, ctx),
});
