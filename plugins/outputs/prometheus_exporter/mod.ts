/**
 * The `prometheus_exporter` output: serves the latest value of every metric series as the
 * Prometheus text exposition on `/metrics` (Fluent Bit's `out_prometheus_exporter`).
 */
import { defineOutput } from "../../../src/plugin.ts";
import { prometheusExporterOptions } from "./options.ts";

/** The prometheus_exporter output plugin definition. */
export const plugin = defineOutput({
  name: "prometheus_exporter",
  description: "Prometheus Exporter",
  options: prometheusExporterOptions,
  signals: ["metrics"],
  notes: [
    "Keeps the latest point of each series per input (Fluent Bit keeps each input's last " +
    "metrics context whole), so a scrape split over several chunks is served whole",
    "Values are written in their shortest exact form and NaN/+Inf/-Inf as Prometheus spells " +
    "them (Fluent Bit: %.17g and nan/inf)",
    "A counter that goes down is counted (sluice_prometheus_exporter_counter_resets_total) " +
    "and logged once",
  ],
  example: { options: { host: "127.0.0.1", port: 0 } },
  create: async (options, ctx) =>
    (await import("./prometheus_exporter.ts")).createPrometheusExporter(options, ctx),
});
