/**
 * Parsing the `conditions` list and deciding a trace with it.
 *
 * How a trace is decided (Fluent Bit's rule, extended as the OTel Collector orders
 * decisions):
 * 1. A `drop` condition whose `conditions` all match drops the trace, whatever else
 *    matches.
 * 2. Otherwise, with no other conditions (none at all, or only drops), the trace is kept.
 * 3. Otherwise it is kept when any condition matches (any span, any condition).
 */
import { quote } from "../../../../src/config/values.ts";
import { parseBooleanAttribute } from "./boolean_attribute.ts";
import { allMatch, parseAnd, parseChildren, parseNot } from "./composite.ts";
import { parseLatency } from "./latency.ts";
import { parseNumericAttribute } from "./numeric_attribute.ts";
import { ConditionReader, unknownWord } from "./reader.ts";
import { parseSpanCount } from "./span_count.ts";
import { parseStatusCode } from "./status_code.ts";
import { parseStringAttribute } from "./string_attribute.ts";
import { parseTraceState } from "./trace_state.ts";
import type { Condition, TraceView } from "./types.ts";

export type { Condition, TraceView } from "./types.ts";

/** The parsed `conditions`: those that keep a trace and those that drop it. */
export interface ConditionSet {
  keep: Condition[];
  drop: Condition[];
}

const LEAVES: Record<string, (r: ConditionReader) => Condition> = {
  latency: parseLatency,
  span_count: parseSpanCount,
  status_code: parseStatusCode,
  string_attribute: parseStringAttribute,
  numeric_attribute: parseNumericAttribute,
  boolean_attribute: parseBooleanAttribute,
  trace_state: parseTraceState,
};

const TYPES = [...Object.keys(LEAVES), "and", "not", "drop"];

function parseOne(raw: unknown, where: string, topLevel: boolean): Condition & { drop?: true } {
  const r = new ConditionReader(raw, where);
  const leaf = LEAVES[r.type];
  if (leaf) return leaf(r);
  const child = (c: unknown, w: string) => parseOne(c, w, false);
  if (r.type === "and") return parseAnd(r, child);
  if (r.type === "not") return parseNot(r, child);
  if (r.type === "drop") {
    if (!topLevel) r.fail("a drop condition may only be listed at the top level of conditions");
    r.only(["conditions"]);
    const children = parseChildren(r, child);
    return { type: "drop", drop: true, matches: (t: TraceView) => allMatch(children, t) };
  }
  return r.fail(unknownWord(r.type, { what: "condition type", known: TYPES }));
}

/**
 * Parses the `conditions` option (a list of maps with a `type`); absent or null is
 * no conditions. Throws RangeError/TypeError naming the faulty condition.
 *
 * @example
 * ```ts
 * import { StatusCode } from "../../../../src/event/span.ts";
 * import { assertEquals } from "../../../../src/testing/assert.ts";
 * import { testSpan } from "../../../../src/testing/spans.ts";
 *
 * const set = parseConditions([{ type: "status_code", status_codes: ["ERROR"] }]);
 * const failed = testSpan({ status: { code: StatusCode.ERROR, message: "boom" } });
 * assertEquals(decide(set, { spans: [testSpan(), failed] }), true); // a span has status ERROR
 * assertEquals(decide(set, { spans: [testSpan()] }), false);
 * ```
 */
export function parseConditions(raw: unknown): ConditionSet {
  const set: ConditionSet = { keep: [], drop: [] };
  if (raw === undefined || raw === null) return set;
  if (!Array.isArray(raw)) {
    throw new TypeError(
      `Cannot use sampling conditions: expected a list of maps, got ${quote(raw)}`,
    );
  }
  raw.forEach((item, i) => {
    const c = parseOne(item, `condition ${i + 1}`, true);
    if (c.drop) set.drop.push(c);
    else set.keep.push(c);
  });
  return set;
}

/** True when the trace is kept under `set` (see the module comment for the order). */
export function decide(set: ConditionSet, trace: TraceView): boolean {
  for (const c of set.drop) if (c.matches(trace)) return false;
  if (set.keep.length === 0) return true;
  for (const c of set.keep) if (c.matches(trace)) return true;
  return false;
}
