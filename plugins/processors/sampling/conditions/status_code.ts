/**
 * `status_code`: a span whose status is one of `status_codes` (OK, ERROR, UNSET,
 * case-insensitive; a comma list in one string is split). A span with no status object
 * counts as UNSET.
 */
import type { Span } from "../../../../src/event/span.ts";
import { type Condition, neverMatches, type TraceView } from "./types.ts";
import { type ConditionReader, unknownWord } from "./reader.ts";

const CODES: Record<string, number> = { UNSET: 0, OK: 1, ERROR: 2 };

/** Parses a `status_code` condition. */
export function parseStatusCode(r: ConditionReader): Condition {
  r.only(["status_codes"]);
  const names = r.need("status_codes", r.strings("status_codes"))
    .flatMap((n) => n.split(","))
    .map((n) => n.trim())
    .filter((n) => n !== "");
  if (names.length === 0) {
    return neverMatches(r.type, `${r.where}: "status_codes" is empty (list OK, ERROR or UNSET)`);
  }
  let mask = 0;
  for (const name of names) {
    const code = CODES[name.trim().toUpperCase()];
    if (code === undefined) {
      r.fail(
        unknownWord(name.trim().toUpperCase(), { what: "status code", known: Object.keys(CODES) }),
      );
    }
    mask |= 1 << code;
  }
  return {
    type: "status_code",
    matches(trace: TraceView): boolean {
      for (const s of trace.spans) {
        const code = (s as Partial<Span>).status?.code ?? 0;
        if ((mask & (1 << code)) !== 0) return true;
      }
      return false;
    },
  };
}
