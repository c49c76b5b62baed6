/**
 * The modify filter's conditions: `Condition TYPE KEY [VALUE]`. KEY is a record accessor
 * for the key_* and key_value_* types (a bare key is a top-level key), and a regex over
 * top-level keys for a_key_matches, no_key_matches and matching_keys_*.
 */
import { errorMessage } from "../../../src/error_message.ts";
import {
  compileAccessor,
  type RecordAccessor,
  valueText,
} from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { compileOnigmo } from "../../../src/parsers/onigmo.ts";
import { splitArgs } from "../../../src/config/quoted_args.ts";

/** One compiled condition. */
export type Condition = (body: RecordMap) => boolean;

/** Condition types and how many arguments each takes after the type. */
const ARITY: Record<string, 1 | 2> = {
  key_exists: 1,
  key_does_not_exist: 1,
  a_key_matches: 1,
  no_key_matches: 1,
  key_value_equals: 2,
  key_value_does_not_equal: 2,
  key_value_matches: 2,
  key_value_does_not_match: 2,
  matching_keys_have_matching_values: 2,
  matching_keys_do_not_have_matching_values: 2,
};

/** The condition types Fluent Bit's modify filter knows, lowercase. */
export const CONDITION_TYPES: readonly string[] = Object.keys(ARITY);

const hasOwn = Object.hasOwn;

function anyKey(body: RecordMap, re: RegExp): boolean {
  for (const k in body) if (hasOwn(body, k) && re.test(k)) return true;
  return false;
}

function textMatches(value: unknown, re: RegExp): boolean {
  const t = valueText(value);
  return t !== undefined && re.test(t);
}

/** True when every top-level key matching `keys` has a value that matches (or not) `values`. */
function allMatchingKeys(body: RecordMap, keys: RegExp, values: RegExp, want: boolean): boolean {
  for (const k in body) {
    if (hasOwn(body, k) && keys.test(k) && textMatches(body[k], values) !== want) return false;
  }
  return true;
}

/**
 * Compiles one `Condition` value. Types are case-insensitive; values compare against the
 * value's text (numbers and booleans as written). Throws SyntaxError naming the value.
 */
export function parseCondition(value: string): Condition {
  const fail = (detail: string) =>
    new SyntaxError(`Cannot parse "condition" value ${JSON.stringify(value)}: ${detail}`);
  let args: string[];
  try {
    args = splitArgs(value, 3);
  } catch (e) {
    throw fail(errorMessage(e));
  }
  const type = (args[0] ?? "").toLowerCase();
  const arity = ARITY[type];
  if (!arity) {
    throw fail(
      `unknown condition ${JSON.stringify(args[0] ?? "")}, expected one of ` +
        CONDITION_TYPES.join(", "),
    );
  }
  if (args.length !== arity + 1 || args[1] === "") {
    throw fail(`expected ${args[0]} KEY${arity === 2 ? " VALUE" : ""}`);
  }
  // `args.length` is checked above: `a` is present; `b` is absent for one-argument types.
  const [, a = "", b = ""] = args;
  try {
    return build(type, a, b);
  } catch (e) {
    throw fail(errorMessage(e));
  }
}

function build(type: string, a: string, b: string): Condition {
  const ra = (): RecordAccessor => compileAccessor(a);
  switch (type) {
    case "key_exists": {
      const k = ra();
      return (body) => k.has(body);
    }
    case "key_does_not_exist": {
      const k = ra();
      return (body) => !k.has(body);
    }
    case "a_key_matches": {
      const re = compileOnigmo(a);
      return (body) => anyKey(body, re);
    }
    case "no_key_matches": {
      const re = compileOnigmo(a);
      return (body) => !anyKey(body, re);
    }
    case "key_value_equals": {
      const k = ra();
      return (body) => valueText(k.get(body)) === b;
    }
    case "key_value_does_not_equal": {
      const k = ra();
      return (body) => k.has(body) && valueText(k.get(body)) !== b;
    }
    case "key_value_matches": {
      const k = ra();
      const re = compileOnigmo(b);
      return (body) => textMatches(k.get(body), re);
    }
    case "key_value_does_not_match": {
      const k = ra();
      const re = compileOnigmo(b);
      return (body) => k.has(body) && !textMatches(k.get(body), re);
    }
    case "matching_keys_have_matching_values":
    case "matching_keys_do_not_have_matching_values": {
      const keys = compileOnigmo(a);
      const values = compileOnigmo(b);
      const want = type === "matching_keys_have_matching_values";
      return (body) => allMatchingKeys(body, keys, values, want);
    }
  }
  throw new SyntaxError(`unknown condition ${JSON.stringify(type)}`);
}
