/** The log_to_metrics filter's option table: Fluent Bit's `filter_log_to_metrics` keys. */
import {
  opt,
  type OptionSpec,
  type OptionTable,
  type OptionValues,
} from "../../../src/config/options.ts";
import { parseAddLabel, parseBucket, parseLabelField } from "./labels.ts";
import { parseSelectRule } from "./select.ts";

/** A repeatable key whose every value `parse` reads at config time. */
function repeated<T>(
  parse: (raw: unknown) => T,
  shows: string,
  description: string,
): OptionSpec<T[]> {
  const spec = opt.custom(parse, undefined, description, { multiple: true, shows });
  return { ...spec, default: [], showsDefault: "none" } as unknown as OptionSpec<T[]>;
}

/** Every key of Fluent Bit's log_to_metrics filter (besides the common filter keys). */
export const logToMetricsOptions = {
  metric_mode: opt.choice(
    ["counter", "gauge", "histogram"] as const,
    "counter",
    "counter (+1 per matching record), gauge (set to value_field) or histogram (observe " +
      "value_field); summary is not supported",
  ),
  metric_name: opt.string("a", "Name of the metric (after namespace and subsystem)"),
  metric_namespace: opt.string("log_metric", "Namespace of the metric (its name's first part)"),
  metric_subsystem: opt.string(
    undefined,
    "Subsystem of the metric (its name's middle part); default the metric_mode",
  ),
  metric_description: opt.string(undefined, "Help text of the metric", { required: true }),
  value_field: opt.string(
    undefined,
    "Record accessor of the numeric field gauge and histogram use (a number, or a string " +
      "read as one)",
  ),
  kubernetes_mode: opt.bool(
    false,
    "Add the labels namespace_name, pod_name, container_name, docker_id and pod_id from " +
      "$kubernetes, first",
  ),
  add_label: repeated(
    parseAddLabel,
    "NAME ACCESSOR",
    "`NAME ACCESSOR`: a label NAME valued from the field",
  ),
  label_field: repeated(
    parseLabelField,
    "ACCESSOR",
    "A label named after the field, valued from it",
  ),
  bucket: repeated(
    parseBucket,
    "float",
    "An upper bound of a histogram bucket (default 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10)",
  ),
  regex: repeated(
    (raw) => parseSelectRule("regex", raw),
    "KEY REGEX",
    "`KEY REGEX`: count only records whose KEY (a string) matches; a match counts the record",
  ),
  exclude: repeated(
    (raw) => parseSelectRule("exclude", raw),
    "KEY REGEX",
    "`KEY REGEX`: do not count records whose KEY (a string) matches",
  ),
  tag: opt.string(undefined, "Tag of the emitted metrics", { required: true }),
  emitter_name: opt.string(
    undefined,
    "Name of the emitter input the metrics enter the pipeline through (default " +
      "emitter_for_<filter name>)",
  ),
  emitter_mem_buf_limit: opt.size(10_000_000, "The emitter input's mem_buf_limit"),
  flush_interval_sec: opt.int(
    0,
    "Emit the metrics every this many seconds (with flush_interval_nsec), only when they " +
      "changed; 0 and 0: after every chunk with a matching record",
    { check: (v) => (v < 0 ? `expected 0 or more, got ${v}` : undefined) },
  ),
  flush_interval_nsec: opt.int(0, "The sub-second part of the emit interval (ms precision)", {
    check: (v) => (v < 0 ? `expected 0 or more, got ${v}` : undefined),
  }),
  discard_logs: opt.bool(false, "Drop the log records after counting them (all of them)"),
} satisfies OptionTable;

/** Parsed log_to_metrics filter options. */
export type LogToMetricsOptions = OptionValues<typeof logToMetricsOptions>;
