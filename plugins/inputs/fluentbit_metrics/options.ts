/** The fluentbit_metrics input's option table: Fluent Bit's `in_fluentbit_metrics` keys. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's fluentbit_metrics input (besides the common input keys). */
export const fluentbitMetricsOptions = {
  scrape_interval: opt.duration(2, "Time between snapshots of the internal metrics"),
  scrape_on_start: opt.bool(
    false,
    "Also take a snapshot 5 s after start when scrape_interval is longer than 2 s",
  ),
} satisfies OptionTable;

/** Parsed fluentbit_metrics options. */
export type FluentbitMetricsOptions = OptionValues<typeof fluentbitMetricsOptions>;
