/**
 * The `node_exporter_metrics` input: host metrics with Prometheus node_exporter's names, help
 * and labels, read from procfs and sysfs (Fluent Bit's `in_node_exporter_metrics`, Linux).
 */
import { defineInput } from "../../../src/plugin.ts";
import { nodeExporterMetricsOptions } from "./options.ts";
import { nodeExporterSettings } from "./settings.ts";

/** The node_exporter_metrics input plugin definition. */
export const plugin = defineInput({
  name: "node_exporter_metrics",
  description: "Node Exporter Metrics (Prometheus Compatible)",
  signals: ["metrics"],
  options: nodeExporterMetricsOptions,
  notes: [
    "the first snapshot is sent at start (Fluent Bit waits one scrape_interval)",
    "metric names, help and types follow node_exporter where Fluent Bit differs " +
    "(netstat and vmstat untyped; netstat has node_exporter's default field set; " +
    "processes: node_processes_max_processes)",
    "systemd is read through systemctl (Fluent Bit: D-Bus): unit_state, units, " +
    "system_running, version",
    "filesystem sizes come from statvfs through FFI (needs --allow-ffi)",
  ],
  example: {
    options: { metrics: "loadavg", scrape_interval: "1s" },
    feed: { kind: "interval", records: 3 },
  },
  create: async (options, ctx) =>
    new (await import("./node_exporter_metrics.ts")).NodeExporterMetricsInput(
      nodeExporterSettings(options),
      ctx,
    ),
});
