/**
 * The `fluentbit_metrics` input: sluice's own metrics, under Fluent Bit's names, as a
 * metrics signal every interval (Fluent Bit's `in_fluentbit_metrics`).
 */
import { defineInput } from "../../../src/plugin.ts";
import { fluentbitMetricsOptions } from "./options.ts";

/** The fluentbit_metrics input plugin definition. */
export const plugin = defineInput({
  name: "fluentbit_metrics",
  description: "Fluent Bit internal metrics",
  options: fluentbitMetricsOptions,
  signals: ["metrics"],
  notes: [
    "sluice's own families (sluice_*) are included beside Fluent Bit's",
  ],
  example: { options: { scrape_interval: "0.2s" }, feed: { kind: "scrapes", records: 3 } },
  create: async (options, ctx) =>
    new (await import("./fluentbit_metrics.ts")).FluentbitMetricsInput(options, ctx),
});
