/**
 * rewrite_tag rules: `$KEY REGEX NEW_TAG KEEP`, four words split on spaces (a word may be
 * wrapped in double quotes, `\"` inside), words past the fourth ignored as in Fluent Bit.
 * REGEX is an Onigmo pattern searched (unanchored) in the KEY's value, strings only.
 */
import { compileAccessor, type RecordAccessor } from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { compileOnigmo } from "../../../src/parsers/onigmo.ts";
import { parseBool } from "../../../src/config/values.ts";
import { OptionError } from "../../../src/plugin.ts";
import { compileRecordTemplate, type RecordTemplate } from "../../../src/event/record_template.ts";

/** One compiled rule. */
export interface RewriteRule {
  /** The rule as written, for log lines. */
  text: string;
  key: RecordAccessor;
  regex: RegExp;
  tag: RecordTemplate;
  keep: boolean;
}

/** Splits a rule into words: spaces separate, `"…"` quotes (with `\"` escapes). */
export function ruleWords(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === " " || text[i] === "\t") i++;
    if (i >= text.length) break;
    let word = "";
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && text[i + 1] === '"') i++;
        word += text[i++];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== " " && text[i] !== "\t") word += text[i++];
    }
    words.push(word);
  }
  return words;
}

/**
 * Compiles one `rule` value; throws OptionError("rule") naming what is wrong.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const rule = compileRule("$level ^(error|fatal)$ alert.$1.$TAG[1] false");
 * const m = matchRule(rule, { level: "error" })!;
 * assertEquals([rule.tag.render("app.web", { level: "error" }, m), rule.keep], [
 *   "alert.error.web",
 *   false,
 * ]);
 * ```
 */
export function compileRule(text: string): RewriteRule {
  const words = ruleWords(text);
  if (words.length < 4) {
    throw new OptionError(
      "rule",
      `Cannot read rule "${text}": expected 4 words, "$KEY REGEX NEW_TAG KEEP", got ${words.length}`,
    );
  }
  const [key, pattern, tag, keep] = words as [string, string, string, string];
  const wrap = (what: string, make: () => unknown) => {
    try {
      return make();
    } catch (e) {
      throw new OptionError("rule", `Cannot read rule "${text}": ${what}: ${(e as Error).message}`);
    }
  };
  return {
    text,
    key: wrap("invalid record accessor key", () => compileAccessor(key)) as RecordAccessor,
    regex: wrap("could not compile regex pattern", () => compileOnigmo(pattern)) as RegExp,
    tag: wrap(
      "could not compose tag",
      () => compileRecordTemplate(tag, { captures: true }),
    ) as RecordTemplate,
    keep: wrap("KEEP must be true or false", () => parseBool(keep)) as boolean,
  };
}

/** The regex captures when `rule` matches `body` ($0 the whole match), else undefined. */
export function matchRule(
  rule: RewriteRule,
  body: RecordMap,
): (string | undefined)[] | undefined {
  const v = rule.key.get(body);
  if (typeof v !== "string") return undefined;
  return rule.regex.exec(v) ?? undefined;
}
