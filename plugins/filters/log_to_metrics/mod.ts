/**
 * The `log_to_metrics` filter: derive a counter, gauge or histogram from log records and emit
 * it as a metrics signal under `tag`, through an emitter input of its own
 * (`emitter_for_<name>`), as Fluent Bit's `filter_log_to_metrics` does.
 */
import { defineFilter } from "../../../src/plugin.ts";
import { logToMetricsOptions } from "./options.ts";

/** The log_to_metrics filter plugin. */
export const plugin = defineFilter({
  name: "log_to_metrics",
  description: "generate log derived metrics",
  options: logToMetricsOptions,
  notes: [
    "Without flush_interval_sec/nsec the snapshot is emitted once per chunk that changed it " +
    "(Fluent Bit: once per matching record, the same final values)",
    "A value_field that is missing or not a number skips the record, counted and logged " +
    "once (Fluent Bit sets a gauge to the last value read in the chunk, or 0)",
    "Histograms are sent as OTLP defines them: per-bucket counts, cumulative temporality, series " +
    "start times (Fluent Bit sends cumulative bucket counts, temporality unspecified)",
    "The last changes are emitted when the inputs end, also in timer mode",
  ],
  example: {
    options: {
      tag: "metrics",
      metric_description: "Records seen",
      metric_name: "records",
      label_field: "log",
      flush_interval_sec: 1,
    },
    samples: { logs: [{ log: "x" }, { log: "y" }] },
  },
  create: async (values, ctx) =>
    (await import("./log_to_metrics.ts")).createLogToMetrics(values, ctx),
});
