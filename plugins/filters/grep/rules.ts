/**
 * The grep filter's rules: `regex KEY REGEX` keeps records whose KEY matches, `exclude KEY
 * REGEX` drops them, combined per `logical_op` as Fluent Bit documents it.
 */
import { OptionError } from "../../../src/plugin.ts";
import {
  compileAccessor,
  type RecordAccessor,
  valueText,
} from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { compileOnigmo } from "../../../src/parsers/onigmo.ts";

/** How several rules combine. */
export type LogicalOp = "legacy" | "and" | "or";

/** One compiled rule. */
export interface GrepRule {
  type: "regex" | "exclude";
  accessor: RecordAccessor;
  regex: RegExp;
}

/**
 * Compiles one `KEY REGEX` value. KEY is a record accessor (a bare key is a top-level key);
 * REGEX is the rest after the first run of whitespace, in Onigmo syntax. Throws SyntaxError
 * naming the option key and the value.
 */
export function parseGrepRule(type: "regex" | "exclude", value: string): GrepRule {
  const m = /^\s*(\S+)\s+(\S.*)$/s.exec(value);
  const fail = (detail: string) =>
    new SyntaxError(`Cannot parse "${type}" value ${JSON.stringify(value)}: ${detail}`);
  if (!m) throw fail("expected KEY REGEX");
  let accessor: RecordAccessor;
  let regex: RegExp;
  try {
    accessor = compileAccessor(m[1]!);
    regex = compileOnigmo(m[2]!);
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
  return { type, accessor, regex };
}

function matches(rule: GrepRule, body: RecordMap): boolean {
  const text = valueText(rule.accessor.get(body));
  return text !== undefined && rule.regex.test(text);
}

/**
 * The keep/drop decision for a record body. `legacy`: drop when any exclude matches, else
 * keep only when every regex matches. `and`/`or`: all rules are of one type; regex rules keep
 * when all (and) or any (or) match, exclude rules drop when all (and) or any (or) match.
 * With no rules every record is kept. Throws RangeError when and/or mixes the two types.
 */
export function grepPredicate(
  rules: readonly GrepRule[],
  op: LogicalOp,
): (body: RecordMap) => boolean {
  const regexes = rules.filter((r) => r.type === "regex");
  const excludes = rules.filter((r) => r.type === "exclude");
  if (op === "legacy") {
    return function keepLegacy(body) {
      for (const rule of excludes) if (matches(rule, body)) return false;
      for (const rule of regexes) if (!matches(rule, body)) return false;
      return true;
    };
  }
  if (regexes.length > 0 && excludes.length > 0) {
    throw new OptionError(
      "logical_op",
      `Cannot combine "regex" and "exclude" with logical_op "${op}": ` +
        `use one kind of rule, or logical_op legacy`,
    );
  }
  const list = regexes.length > 0 ? regexes : excludes;
  const keepOnMatch = regexes.length > 0;
  if (list.length === 0) return () => true;
  if (op === "and") {
    return function keepAnd(body) {
      for (const rule of list) if (!matches(rule, body)) return !keepOnMatch;
      return keepOnMatch;
    };
  }
  return function keepOr(body) {
    for (const rule of list) if (matches(rule, body)) return keepOnMatch;
    return !keepOnMatch;
  };
}
