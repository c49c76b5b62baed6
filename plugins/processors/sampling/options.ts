/** The sampling processor's option table: Fluent Bit's keys, parsed once at config time. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { parseConditions } from "./conditions/mod.ts";
import { describeSettings, parseSettings } from "./settings.ts";

/** Every key of the sampling processor (besides the common processor keys). */
export const samplingOptions = {
  type: opt.choice(
    ["probabilistic", "tail"] as const,
    undefined,
    "Sampling type: probabilistic (head) or tail",
    {
      required: true,
    },
  ),
  debug: opt.bool(false, "Log every tail sampling decision (trace ID, kept or dropped, spans)"),
  sampling_settings: opt.custom(parseSettings, parseSettings(undefined), describeSettings(), {
    shows: "map",
    showsDefault: "none",
    structured: true,
  }),
  conditions: opt.custom(
    parseConditions,
    parseConditions(undefined),
    "Tail sampling conditions: a list of maps with a type (latency, span_count, status_code, " +
      "string_attribute, numeric_attribute, boolean_attribute, trace_state; sluice adds and, " +
      "not, drop). Kept when any span matches any condition; none keeps every trace",
    { shows: "list", showsDefault: "none", structured: true },
  ),
  sampling_percentage: opt.float(
    undefined,
    "Accepted for the Fluent Bit docs' example, which puts it beside sampling_settings instead " +
      "of in it: used (with a warning) when sampling_settings does not set it",
    { check: (v) => (v !== undefined && (v < 0 || v > 100) ? "expected 0 to 100" : undefined) },
  ),
} satisfies OptionTable;

/** Parsed sampling processor options. */
export type SamplingOptions = OptionValues<typeof samplingOptions>;
