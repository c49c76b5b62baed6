/**
 * The prometheus_exporter output's option table: Fluent Bit's `out_prometheus_exporter`
 * keys, defaults and meaning.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's prometheus_exporter output (besides the common output keys). */
export const prometheusExporterOptions = {
  host: opt.string("0.0.0.0", "Address to listen on"),
  port: opt.int(2021, "TCP port to listen on (0 picks a free one)", {
    check: (v) => v >= 0 && v <= 65535 ? undefined : `expected a port 0-65535, got ${v}`,
  }),
  add_label: opt.multi("A `NAME VALUE` label added to every series; may repeat"),
  add_timestamp: opt.bool(false, "Append each sample's timestamp (ms) to its line"),
} satisfies OptionTable;

/** Parsed prometheus_exporter options. */
export type PrometheusExporterOptions = OptionValues<typeof prometheusExporterOptions>;
