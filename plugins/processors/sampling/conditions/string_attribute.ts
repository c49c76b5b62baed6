/**
 * `string_attribute`: the attribute `key` (resource attributes, then span
 * attributes) is a string that equals one of `values` (`match_type: strict`, the
 * default, case-sensitive), matches one of them as a regular expression (`regex`,
 * Onigmo syntax, unanchored search; this works in sluice, unlike Fluent Bit 4.x
 * where the regex branch never matched), or merely exists as a string (`exists`).
 */
import { errorMessage } from "../../../../src/error_message.ts";
import { compileOnigmo } from "../../../../src/parsers/onigmo.ts";
import type { AnyValue } from "../../../../src/event/span.ts";
import { anySpanAttribute, type ValueTest } from "./attributes.ts";
import { type Condition, neverMatches, type TraceView } from "./types.ts";
import type { ConditionReader } from "./reader.ts";

/** Parses a `string_attribute` condition. */
export function parseStringAttribute(r: ConditionReader): Condition {
  r.only(["key", "match_type", "values"]);
  const key = r.need("key", r.string("key"));
  const matchType = (r.string("match_type") ?? "strict").toLowerCase();
  let ok: ValueTest;
  if (matchType === "exists") {
    ok = (v: AnyValue) => typeof v === "string";
  } else if (matchType === "strict" || matchType === "regex") {
    const values = r.need("values", r.strings("values"));
    if (values.length === 0) return neverMatches(r.type, `${r.where}: "values" is empty`);
    if (matchType === "strict") {
      const set = new Set(values);
      ok = (v: AnyValue) => typeof v === "string" && set.has(v);
    } else {
      const patterns = values.map((p) => {
        try {
          return compileOnigmo(p);
        } catch (e) {
          return r.fail(errorMessage(e));
        }
      });
      ok = (v: AnyValue) => typeof v === "string" && patterns.some((re) => re.test(v));
    }
  } else {
    return r.fail(
      `expected "match_type" to be strict, exists or regex, got ${JSON.stringify(matchType)}`,
    );
  }
  return {
    type: "string_attribute",
    matches: (trace: TraceView) => anySpanAttribute(trace, { key, ok }),
  };
}
