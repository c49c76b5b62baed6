/** The metrics_selector processor's option table: Fluent Bit's `processor_metrics_selector` keys. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of the metrics_selector processor (besides the common processor keys). */
export const metricsSelectorOptions = {
  metric_name: opt.multi(
    "A prefix or substring of the metric's full name, or `/REGEX/` (searched, unanchored); " +
      "needed for context metric_name. Only the first is used: chain selectors for more",
  ),
  context: opt.multi(
    "metric_name (default: select metrics by name) or delete_label_value (drop the series " +
      "whose label has a value, see label)",
  ),
  action: opt.choice(
    ["include", "exclude"] as const,
    "include",
    "include keeps only the matching metrics, exclude drops them",
  ),
  operation_type: opt.choice(
    ["prefix", "substring"] as const,
    "prefix",
    "How metric_name matches when it is not a /REGEX/",
  ),
  label: opt.string(undefined, "For context delete_label_value: `NAME VALUE`"),
} satisfies OptionTable;

/** Parsed metrics_selector processor options. */
export type MetricsSelectorOptions = OptionValues<typeof metricsSelectorOptions>;
