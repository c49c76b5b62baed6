/**
 * The modify filter's rules. Each works on top-level keys, as Fluent Bit's do, and returns
 * the body it changed in place, or a rebuilt one where key order changes (rename and copy
 * keep the key's position, move_to_* reorder).
 */
import { errorMessage } from "../../../src/error_message.ts";
import { putKey } from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { compileOnigmo } from "../../../src/parsers/onigmo.ts";
import { ruleArgs } from "../../../src/config/quoted_args.ts";

/** One compiled rule: takes a body, returns the body to use from then on. */
export type Rule = (body: RecordMap) => RecordMap;

/** The rule keys, in Fluent Bit's config map order (also the fallback order of application). */
export const RULE_KEYS = [
  "set",
  "add",
  "remove",
  "remove_wildcard",
  "remove_regex",
  "move_to_start",
  "move_to_end",
  "rename",
  "hard_rename",
  "copy",
  "hard_copy",
] as const;

/** A rule key. */
export type RuleKey = typeof RULE_KEYS[number];

const hasOwn = Object.hasOwn;

/** A copy of a value for a second key, so later edits of one don't show in the other. */
function copyValue(v: unknown): unknown {
  return v !== null && typeof v === "object" ? structuredClone(v) : v;
}

/** The body rebuilt key by key through `each`, which puts what it wants into `out`. */
function rebuild(body: RecordMap, each: (out: RecordMap, k: string, v: unknown) => void) {
  const out: RecordMap = {};
  for (const k in body) if (hasOwn(body, k)) each(out, k, body[k]);
  return out;
}

/** A wildcard as Fluent Bit's modify reads it: a key prefix (a trailing `*` is allowed). */
function prefixOf(wildcard: string): string {
  return wildcard.replace(/\*+$/, "");
}

function keyTest(key: RuleKey, arg: string): (k: string) => boolean {
  if (key === "remove_regex") {
    let re: RegExp;
    try {
      re = compileOnigmo(arg);
    } catch (e) {
      throw new SyntaxError(
        `Cannot parse "${key}" value ${JSON.stringify(arg)}: ${errorMessage(e)}`,
      );
    }
    return (k) => re.test(k);
  }
  const prefix = prefixOf(arg);
  return (k) => k.startsWith(prefix);
}

function removeMatching(test: (k: string) => boolean): Rule {
  return (b) => {
    for (const k in b) if (hasOwn(b, k) && test(k)) delete b[k];
    return b;
  };
}

function moveMatching(test: (k: string) => boolean, toStart: boolean): Rule {
  return (b) => {
    let any = false;
    for (const k in b) {
      if (hasOwn(b, k) && test(k)) {
        any = true;
        break;
      }
    }
    if (!any) return b;
    const out: RecordMap = {};
    for (const pass of toStart ? [true, false] : [false, true]) {
      for (const k in b) if (hasOwn(b, k) && test(k) === pass) putKey(out, k, b[k]);
    }
    return out;
  };
}

/**
 * Compiles the rule `key` (a rule key, lowercase) with its value. Throws SyntaxError naming
 * the key and the value when the arguments or the regex are wrong.
 */
export function parseRule(key: RuleKey, value: string): Rule {
  switch (key) {
    case "remove": {
      const [k] = ruleArgs(key, value, ["KEY"]);
      return (b) => {
        if (hasOwn(b, k)) delete b[k];
        return b;
      };
    }
    case "remove_wildcard":
    case "remove_regex":
      return removeMatching(keyTest(key, ruleArgs(key, value, ["KEY"])[0]));
    case "move_to_start":
    case "move_to_end":
      return moveMatching(keyTest(key, ruleArgs(key, value, ["KEY"])[0]), key === "move_to_start");
    case "set": {
      const [k, v] = ruleArgs(key, value, ["KEY", "VALUE"]);
      return (b) => {
        // Fluent Bit drops the old pair and appends the new one: the key moves to the end.
        if (hasOwn(b, k)) delete b[k];
        putKey(b, k, v);
        return b;
      };
    }
    case "add": {
      const [k, v] = ruleArgs(key, value, ["KEY", "VALUE"]);
      return (b) => {
        if (!hasOwn(b, k)) putKey(b, k, v);
        return b;
      };
    }
    case "rename":
    case "hard_rename": {
      const [from, to] = ruleArgs(key, value, ["KEY", "RENAMED_KEY"]);
      const hard = key === "hard_rename";
      return (b) => {
        if (!hasOwn(b, from) || from === to || (!hard && hasOwn(b, to))) return b;
        return rebuild(b, (out, k, v) => {
          if (k === from) putKey(out, to, v);
          else if (k !== to) putKey(out, k, v);
        });
      };
    }
    case "copy":
    case "hard_copy": {
      const [from, to] = ruleArgs(key, value, ["KEY", "COPIED_KEY"]);
      const hard = key === "hard_copy";
      return (b) => {
        if (!hasOwn(b, from) || from === to || (!hard && hasOwn(b, to))) return b;
        return rebuild(b, (out, k, v) => {
          if (k === to) return;
          putKey(out, k, v);
          if (k === from) putKey(out, to, copyValue(v));
        });
      };
    }
  }
}
