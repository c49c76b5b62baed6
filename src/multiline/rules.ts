/**
 * A multiline parser definition compiled into a state machine: the `rule`/`rules`
 * of a `[MULTILINE_PARSER]` (or `multiline_parsers:` item), its type, keys and
 * timeout, checked once so the assembler's hot path only runs prepared regexes.
 */
import { errorMessage } from "../error_message.ts";
import type { MultilineParserValues } from "../config/common_options.ts";
import { compileOnigmo } from "../parsers/onigmo.ts";
import type { Parser, ParserRegistry } from "../parsers/types.ts";

/** How a parser decides where a message ends. */
export type MultilineType = "regex" | "endswith" | "equal";

/** The state every message starts in. */
export const START_STATE = "start_state";

/** Fluent Bit's default `flush_timeout`, in milliseconds. */
export const DEFAULT_FLUSH_TIMEOUT_MS = 4000;

/** One rule as written: `"state" "/regex/" "next_state"`. */
export interface RuleSpec {
  state: string;
  regex: string;
  nextState: string;
}

/** One compiled rule of the state machine. */
export interface MultilineRule {
  /** The states it applies in (a rule may list several, comma-separated). */
  readonly states: readonly string[];
  /** The pattern a line must match. */
  readonly regex: RegExp;
  /** The state after a match. */
  readonly nextState: string;
  /** True when one of `states` is `start_state`: the rule may begin a message. */
  readonly isStart: boolean;
  /** The non-start rules that may match the line after this one. */
  readonly continuations: MultilineRule[];
  /** True when `nextState` can start a message, so a match completes the current one. */
  endsMessage: boolean;
}

/** A compiled multiline parser, built-in or user-defined. */
export interface MultilineParser {
  /** The parser's name. */
  readonly name: string;
  /** How lines are matched: regex rules, a line ending, or an equal string. */
  readonly type: MultilineType;
  /** All rules in definition order (type regex). */
  readonly rules: readonly MultilineRule[];
  /** The rules that can begin a message, in definition order. */
  readonly startRules: readonly MultilineRule[];
  /** The string compared by types endswith and equal. */
  readonly matchString: string;
  /** Invert the match (types endswith and equal). */
  readonly negate: boolean;
  /** Milliseconds a pending message waits for more lines before it is flushed. */
  readonly flushTimeoutMs: number;
  /** Field holding the text to join in structured records. */
  readonly keyContent?: string;
  /** Field whose value separates independent messages within a stream. */
  readonly keyGroup?: string;
  /** Field compared instead of the content by types endswith and equal. */
  readonly keyPattern?: string;
  /** Parser applied to each incoming text before matching. */
  readonly parser?: Parser;
}

/**
 * Splits a classic `rule` value into its three quoted tokens. Backslashes are kept
 * (they belong to the regex) except before a quote.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const rule = parseRule(String.raw`"start_state" "/^\[\d+/" "cont"`);
 * assertEquals(rule, { state: "start_state", regex: String.raw`/^\[\d+/`, nextState: "cont" });
 * ```
 */
export function parseRule(text: string): RuleSpec {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    let token = "";
    if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === "\\" && text[i + 1] === c) i++;
        token += text[i++];
      }
      if (i >= text.length) throw ruleSyntax(text, "a quote is not closed");
      i++;
    } else {
      while (i < text.length && text[i] !== " " && text[i] !== "\t") token += text[i++];
    }
    tokens.push(token);
  }
  if (tokens.length !== 3) {
    throw ruleSyntax(text, `expected "state" "/regex/" "next_state", got ${tokens.length} parts`);
  }
  return { state: tokens[0]!, regex: tokens[1]!, nextState: tokens[2]! };
}

function ruleSyntax(text: string, detail: string): SyntaxError {
  return new SyntaxError(`Cannot parse rule ${JSON.stringify(text)}: ${detail}`);
}

/** Reads the `rule` (classic strings) and `rules` (YAML maps) values into specs. */
export function ruleSpecsOf(rule: unknown, rules: unknown): RuleSpec[] {
  const out: RuleSpec[] = [];
  const classic = rule === undefined || rule === null ? [] : Array.isArray(rule) ? rule : [rule];
  for (const r of classic) {
    if (typeof r === "string") out.push(parseRule(r));
    else if (Array.isArray(r) && r.length === 3 && r.every((t) => typeof t === "string")) {
      out.push({ state: r[0]!, regex: r[1]!, nextState: r[2]! });
    } else {
      throw new SyntaxError(
        `Cannot parse rule ${JSON.stringify(r)}: expected "state" "/regex/" "next_state"`,
      );
    }
  }
  if (rules === undefined || rules === null) return out;
  if (!Array.isArray(rules)) {
    throw new SyntaxError(`Cannot parse rules: expected a list of {state, regex, next_state}`);
  }
  for (const r of rules) {
    const m = lowerKeys(r);
    const state = m?.state, regex = m?.regex, next = m?.next_state;
    if (typeof state !== "string" || typeof regex !== "string" || typeof next !== "string") {
      throw new SyntaxError(
        `Cannot parse rule ${JSON.stringify(r)}: expected a map of state, regex and next_state`,
      );
    }
    out.push({ state, regex, nextState: next });
  }
  return out;
}

function lowerKeys(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.toLowerCase()] = v;
  return out;
}

function describeRule(n: number, spec: RuleSpec): string {
  return `rule ${n} (${JSON.stringify(spec.state)} -> ${JSON.stringify(spec.nextState)})`;
}

/**
 * Compiles rule specs into the state machine. The first rule's state must be
 * `start_state` and every next state must be the state of some rule. Regexes use
 * Onigmo semantics, so `^` and `$` match at line boundaries.
 */
export function compileRules(specs: readonly RuleSpec[]): MultilineRule[] {
  if (specs.length === 0) throw new SyntaxError("Cannot build a regex parser: it has no rules");
  const rules: MultilineRule[] = specs.map((spec, i) => {
    const states = spec.state.split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (states.length === 0) {
      throw new SyntaxError(`Cannot use ${describeRule(i + 1, spec)}: the state is empty`);
    }
    let regex: RegExp;
    try {
      regex = compileOnigmo(spec.regex, "m");
    } catch (e) {
      throw new SyntaxError(`Cannot use ${describeRule(i + 1, spec)}: ${errorMessage(e)}`);
    }
    return {
      states,
      regex,
      nextState: spec.nextState.trim(),
      isStart: states.includes(START_STATE),
      continuations: [],
      endsMessage: false,
    };
  });
  if (!rules[0]!.states.includes(START_STATE)) {
    throw new SyntaxError(
      `Cannot use ${describeRule(1, specs[0]!)}: the first rule's state must be "${START_STATE}"`,
    );
  }
  rules.forEach((rule, i) => {
    const targets = rules.filter((r) => r.states.includes(rule.nextState));
    if (targets.length === 0) {
      throw new SyntaxError(
        `Cannot use ${describeRule(i + 1, specs[i]!)}: no rule has state ${
          JSON.stringify(rule.nextState)
        }`,
      );
    }
    for (const t of targets) {
      if (t.isStart) rule.endsMessage = true;
      else rule.continuations.push(t);
    }
  });
  return rules;
}

function typeOf(value: string | undefined): MultilineType {
  const t = (value ?? "regex").toLowerCase();
  if (t === "eq") return "equal";
  if (t === "regex" || t === "endswith" || t === "equal") return t;
  throw new SyntaxError(
    `Cannot use type ${JSON.stringify(value)}: expected regex, endswith or equal`,
  );
}

/** Options for {@link compileMultilineParser}. */
export interface CompileOptions {
  /** Where `parser` names are looked up. */
  parsers?: ParserRegistry;
}

/**
 * Compiles a user definition (`[MULTILINE_PARSER]` or a `multiline_parsers:` item).
 * Throws SyntaxError naming the rule or key at fault.
 *
 * @example
 * ```ts
 * import { multilineParserOptions } from "../config/common_options.ts";
 * import { defaultsOf } from "../config/options.ts";
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const p = compileMultilineParser({
 *   ...defaultsOf(multilineParserOptions),
 *   name: "x",
 *   rule: ['"start_state" "/^\\S/" "cont"', '"cont" "/^\\s+at/" "cont"'],
 * });
 * assertEquals(p.startRules.length, 1);
 * ```
 */
export function compileMultilineParser(
  values: MultilineParserValues,
  options: CompileOptions = {},
): MultilineParser {
  const name = values.name ?? "";
  if (name === "") throw new SyntaxError("Cannot build a multiline parser: it has no name");
  const type = typeOf(values.type);
  const timeout = values.flush_timeout ?? DEFAULT_FLUSH_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout < 0) {
    throw new RangeError(`Cannot use flush_timeout ${timeout}: expected milliseconds >= 0`);
  }
  let parser: Parser | undefined;
  if (values.parser) {
    parser = options.parsers?.get(values.parser);
    if (!parser) {
      throw new ReferenceError(
        `Multiline parser ${JSON.stringify(name)} points to an undefined parser ${
          JSON.stringify(values.parser)
        }`,
      );
    }
  }
  let rules: MultilineRule[] = [];
  if (type === "regex") {
    rules = compileRules(ruleSpecsOf(values.rule, values.rules));
  } else if (values.match_string === undefined || values.match_string === "") {
    throw new SyntaxError(
      `Cannot build multiline parser ${JSON.stringify(name)}: type ${type} needs match_string`,
    );
  }
  return {
    name,
    type,
    rules,
    startRules: rules.filter((r) => r.isStart),
    matchString: values.match_string ?? "",
    negate: values.negate ?? false,
    flushTimeoutMs: timeout,
    keyContent: values.key_content || undefined,
    keyGroup: values.key_group || undefined,
    keyPattern: values.key_pattern || undefined,
    parser,
  };
}
