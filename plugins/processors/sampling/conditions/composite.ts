/**
 * Composite conditions, a sluice extension over Fluent Bit's OR-only rule: `and`
 * (every condition in `conditions` matches the trace) and `not` (the one condition
 * in `condition` does not). Each child judges the whole trace, as the OTel
 * Collector's `and` policy does, so `and: [latency, status_code]` needs a slow span
 * and an error span in the trace, not necessarily the same span.
 */
import type { Condition, TraceView } from "./types.ts";
import type { ConditionReader } from "./reader.ts";

/** Parses a nested condition; `where` names it in errors. */
export type ChildParser = (raw: unknown, where: string) => Condition;

/** The children of `and` and `drop`: a non-empty `conditions` list. */
export function parseChildren(r: ConditionReader, parse: ChildParser): Condition[] {
  const list = r.need("conditions", r.list("conditions"));
  if (list.length === 0) r.fail('"conditions" is empty');
  return list.map((c, i) => parse(c, `${r.where} > condition ${i + 1}`));
}

/** True when every condition matches. */
export function allMatch(conditions: readonly Condition[], trace: TraceView): boolean {
  for (const c of conditions) if (!c.matches(trace)) return false;
  return true;
}

/** Parses an `and` condition. */
export function parseAnd(r: ConditionReader, parse: ChildParser): Condition {
  r.only(["conditions"]);
  const children = parseChildren(r, parse);
  return { type: "and", matches: (trace: TraceView) => allMatch(children, trace) };
}

/** Parses a `not` condition. */
export function parseNot(r: ConditionReader, parse: ChildParser): Condition {
  r.only(["condition"]);
  const child = parse(
    r.need("condition", r.has("condition") ? r.raw("condition") : undefined),
    `${r.where} > condition`,
  );
  return { type: "not", matches: (trace: TraceView) => !child.matches(trace) };
}
