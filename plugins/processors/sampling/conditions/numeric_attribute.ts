/**
 * `numeric_attribute`: the attribute `key` (resource, then span) is a number with
 * `min_value <= value <= max_value` (`match_type: strict`, the default), or merely
 * exists as a number (`exists`). Large int64 values (bigint) compare exactly. The
 * bounds may be fractional in sluice (Fluent Bit takes integers only); both are
 * required unless `match_type` is `exists`.
 */
import type { AnyValue } from "../../../../src/event/span.ts";
import { anySpanAttribute, type ValueTest } from "./attributes.ts";
import type { Condition, TraceView } from "./types.ts";
import type { ConditionReader } from "./reader.ts";

function isNumber(v: AnyValue): v is number | bigint {
  return (typeof v === "number" && !Number.isNaN(v)) || typeof v === "bigint";
}

/** Parses a `numeric_attribute` condition. */
export function parseNumericAttribute(r: ConditionReader): Condition {
  r.only(["key", "match_type", "min_value", "max_value"]);
  const key = r.need("key", r.string("key"));
  const matchType = (r.string("match_type") ?? "strict").toLowerCase();
  let ok: ValueTest;
  if (matchType === "exists") {
    ok = isNumber;
  } else if (matchType === "strict") {
    const min = r.need("min_value", r.number("min_value"));
    const max = r.need("max_value", r.number("max_value"));
    if (min > max) r.fail(`expected min_value (${min}) to be at most max_value (${max})`);
    ok = (v: AnyValue) => isNumber(v) && v >= min && v <= max;
  } else {
    return r.fail(`expected "match_type" to be strict or exists, got ${JSON.stringify(matchType)}`);
  }
  return {
    type: "numeric_attribute",
    matches: (trace: TraceView) => anySpanAttribute(trace, { key, ok }),
  };
}
