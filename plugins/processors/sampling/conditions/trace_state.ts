/**
 * `trace_state`: a span whose W3C `trace_state`, split on commas without trimming
 * (as Fluent Bit splits it), holds one of `values` ("key=value") exactly.
 */
import { type Condition, neverMatches, type TraceView } from "./types.ts";
import type { ConditionReader } from "./reader.ts";

/** Parses a `trace_state` condition. */
export function parseTraceState(r: ConditionReader): Condition {
  r.only(["values"]);
  const values = r.need("values", r.strings("values"));
  if (values.length === 0) return neverMatches(r.type, `${r.where}: "values" is empty`);
  const set = new Set(values);
  return {
    type: "trace_state",
    matches(trace: TraceView): boolean {
      for (const s of trace.spans) {
        const state = s.traceState;
        if (typeof state !== "string" || state === "") continue;
        if (!state.includes(",")) {
          if (set.has(state)) return true;
          continue;
        }
        for (const entry of state.split(",")) if (set.has(entry)) return true;
      }
      return false;
    },
  };
}
