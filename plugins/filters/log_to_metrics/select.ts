/**
 * log_to_metrics' record selection: `regex KEY REGEX` and `exclude KEY REGEX` rules, tried in
 * the order written across both keys. The first decisive rule wins: a regex rule that does
 * not match skips the record, one that matches counts it at once (later rules are not
 * tried), an exclude rule that matches skips it. With no rules every record counts. Only
 * string values match, as in Fluent Bit.
 */
import { compileAccessor, type RecordAccessor } from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { compileOnigmo } from "../../../src/parsers/onigmo.ts";

/** One compiled selection rule; `toString()` gives the value as written. */
export class SelectRule {
  constructor(
    readonly type: "regex" | "exclude",
    readonly text: string,
    readonly accessor: RecordAccessor,
    readonly regex: RegExp,
  ) {}

  /** True when the rule's key holds a string its regex matches. */
  matches(body: RecordMap): boolean {
    const v = this.accessor.get(body);
    return typeof v === "string" && this.regex.test(v);
  }

  toString(): string {
    return this.text;
  }
}

/** Parses `KEY REGEX` (config time); throws SyntaxError naming the value and the problem. */
export function parseSelectRule(type: "regex" | "exclude", raw: unknown): SelectRule {
  const text = String(raw);
  const m = /^\s*(\S+)\s+(\S.*)$/s.exec(text);
  const fail = (detail: string) =>
    new SyntaxError(`Cannot parse ${JSON.stringify(text)}: ${detail}`);
  if (!m) throw fail("expected KEY REGEX, e.g. `log ^error`");
  try {
    const regex = compileOnigmo(m[2]!.trimEnd());
    return new SelectRule(type, text, compileAccessor(m[1]!), regex);
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
}

/**
 * The rules in the order written across `regex` and `exclude`, from the source-order pairs
 * the config loader recorded (each key's nth pair is its nth value); grouped by key (regex
 * first) when there are none or they do not fit.
 */
export function orderedRules(
  regex: readonly SelectRule[],
  exclude: readonly SelectRule[],
  order: ReadonlyArray<readonly [string, string]> | undefined,
): SelectRule[] {
  const grouped = [...regex, ...exclude];
  if (!order) return grouped;
  const byKey: Record<string, readonly SelectRule[]> = { regex, exclude };
  const taken: Record<string, number> = { regex: 0, exclude: 0 };
  const out: SelectRule[] = [];
  for (const [key] of order) {
    const list = byKey[key];
    if (!list) continue;
    const rule = list[taken[key]!++];
    if (!rule) return grouped;
    out.push(rule);
  }
  return out.length === grouped.length ? out : grouped;
}

/** True when the record is counted under `rules`. */
export function selects(rules: readonly SelectRule[], body: RecordMap): boolean {
  for (const rule of rules) {
    const hit = rule.matches(body);
    if (rule.type === "regex") return hit;
    if (hit) return false;
  }
  return true;
}
