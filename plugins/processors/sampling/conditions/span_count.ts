/**
 * `span_count`: the trace has between `min_spans` and `max_spans` spans (both
 * inclusive, both required), counted over the spans buffered at decision time.
 */
import type { Condition, TraceView } from "./types.ts";
import type { ConditionReader } from "./reader.ts";

/** Parses a `span_count` condition. */
export function parseSpanCount(r: ConditionReader): Condition {
  r.only(["min_spans", "max_spans"]);
  const min = r.need("min_spans", r.uint("min_spans"));
  const max = r.need("max_spans", r.uint("max_spans"));
  if (min > max) r.fail(`expected min_spans (${min}) to be at most max_spans (${max})`);
  return {
    type: "span_count",
    matches: (trace: TraceView) => trace.spans.length >= min && trace.spans.length <= max,
  };
}
