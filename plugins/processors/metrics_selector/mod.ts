/**
 * The `metrics_selector` processor: keep or drop metrics by name (prefix, substring or
 * /regex/), or drop the series with a label value, as Fluent Bit's
 * `processor_metrics_selector` does. Several selectors chain as separate processors.
 */
import { defineProcessor } from "../../../src/plugin.ts";
import { metricsSelectorOptions } from "./options.ts";

/** The metrics_selector processor plugin. */
export const plugin = defineProcessor({
  name: "metrics_selector",
  description: "select metrics by specified name",
  signals: ["metrics"],
  options: metricsSelectorOptions,
  notes: [
    "delete_label_value drops every series with the label value, matched exactly (Fluent " +
    "Bit drops the first per metric, comparing prefixes)",
    "A missing metric_name or label, or an unknown context, is a config error",
  ],
  example: { options: { metric_name: "/^node_cpu_/", action: "exclude" } },
  create: async (values, ctx) =>
    (await import("./selector.ts")).createMetricsSelector(values, ctx.log),
});
