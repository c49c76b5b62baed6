/**
 * `systemd_filter` matches: each `FIELD=value` is checked as libsystemd's
 * `sd_journal_add_match` checks it, given to journalctl as its match arguments, and, for
 * `systemd_filter_type and`, also checked on each entry (journalctl ORs matches of one
 * field, where Fluent Bit's conjunctions require every match).
 */
import type { JournalEntry } from "./export_reader.ts";

/** Why `match` is not a journal match (as libsystemd would refuse it), or undefined. */
export function matchProblem(match: string): string | undefined {
  const eq = match.indexOf("=");
  const field = eq < 0 ? match : match.slice(0, eq);
  const bad = eq <= 0 || field.startsWith("__") || !/^[A-Z0-9_]+$/.test(field);
  return bad
    ? `systemd_filter error: invalid input '${match}': expected FIELD=value, FIELD of A-Z, 0-9 and _`
    : undefined;
}

/**
 * journalctl's match arguments for `matches`: `A=1 + B=2` (any of them) for `or`; for
 * `and`, `A=1 B=2` (journalctl ORs matches of the same field; {@link entryMatcher} then
 * requires every one).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(matchArgs(["A=1", "B=2"], "or"), ["A=1", "+", "B=2"]);
 * assertEquals(matchArgs(["A=1", "B=2"], "and"), ["A=1", "B=2"]);
 * ```
 */
export function matchArgs(matches: readonly string[], type: "and" | "or"): string[] {
  if (type === "and") return [...matches];
  return matches.flatMap((m, i) => i === 0 ? [m] : ["+", m]);
}

function hasValue(entry: JournalEntry, field: string, value: string): boolean {
  const { names, values } = entry;
  for (let i = 0; i < names.length; i++) {
    if (names[i] === field && values[i] === value) return true;
  }
  return false;
}

/** A check every entry must pass (`and` with matches), or undefined when journalctl is exact. */
export function entryMatcher(
  matches: readonly string[],
  type: "and" | "or",
): ((entry: JournalEntry) => boolean) | undefined {
  if (type === "or" || matches.length < 2) return undefined;
  const pairs = matches.map((m) => {
    const eq = m.indexOf("=");
    return [m.slice(0, eq), m.slice(eq + 1)] as const;
  });
  return (entry) => pairs.every(([f, v]) => hasValue(entry, f, v));
}
