/**
 * `boolean_attribute`: the attribute `key` (resource, then span) is a boolean equal
 * to `value` (required).
 */
import type { AnyValue } from "../../../../src/event/span.ts";
import { anySpanAttribute } from "./attributes.ts";
import type { Condition, TraceView } from "./types.ts";
import type { ConditionReader } from "./reader.ts";

/** Parses a `boolean_attribute` condition. */
export function parseBooleanAttribute(r: ConditionReader): Condition {
  r.only(["key", "value"]);
  const key = r.need("key", r.string("key"));
  const want = r.need("value", r.bool("value"));
  const ok = (v: AnyValue) => v === want;
  return {
    type: "boolean_attribute",
    matches: (trace: TraceView) => anySpanAttribute(trace, { key, ok }),
  };
}
