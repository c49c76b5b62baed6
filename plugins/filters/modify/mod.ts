/**
 * The `modify` filter: set, add, remove, rename, copy and reorder top-level keys of log
 * records, when all its conditions hold.
 */
import { opt, type OptionSpec, sourceOrderOf } from "../../../src/config/options.ts";
import { defineFilter } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { isGroupMarker } from "../../../src/event/log_record.ts";
import { type Condition, parseCondition } from "./conditions.ts";
import { parseRule, type Rule, RULE_KEYS, type RuleKey } from "./rules.ts";

const RULE_HELP: Record<RuleKey, string> = {
  set: "`KEY VALUE`: set KEY to VALUE, replacing it (the key moves to the end)",
  add: "`KEY VALUE`: add KEY with VALUE when KEY does not exist",
  remove: "`KEY`: remove KEY",
  remove_wildcard: "`PREFIX`: remove every key starting with PREFIX (a trailing * is allowed)",
  remove_regex: "`REGEX`: remove every key matching REGEX",
  move_to_start: "`PREFIX`: move the keys starting with PREFIX to the start",
  move_to_end: "`PREFIX`: move the keys starting with PREFIX to the end",
  rename: "`KEY RENAMED_KEY`: rename KEY when RENAMED_KEY does not exist (position kept)",
  hard_rename: "`KEY RENAMED_KEY`: rename KEY, replacing RENAMED_KEY if it exists",
  copy: "`KEY COPIED_KEY`: copy KEY's value to COPIED_KEY when COPIED_KEY does not exist",
  hard_copy: "`KEY COPIED_KEY`: copy KEY's value to COPIED_KEY, replacing it if it exists",
};

const options = {
  condition: opt.multi(
    "`TYPE KEY [VALUE]`; rules apply only when every condition holds. Types: key_exists, " +
      "key_does_not_exist, a_key_matches, no_key_matches, key_value_equals, " +
      "key_value_does_not_equal, key_value_matches, key_value_does_not_match, " +
      "matching_keys_have_matching_values, matching_keys_do_not_have_matching_values",
  ),
  ...Object.fromEntries(RULE_KEYS.map((k) => [k, opt.multi(RULE_HELP[k])])) as Record<
    RuleKey,
    OptionSpec<string[]>
  >,
};

/**
 * The rules as written: in source order across keys when the resolver recorded it (Fluent
 * Bit applies `Add a`, `Rename b c`, `Add d` in that order), else grouped by key.
 */
function ruleEntries(values: Record<RuleKey, string[]>): [RuleKey, string][] {
  const grouped = RULE_KEYS.flatMap((k) => values[k].map((v): [RuleKey, string] => [k, v]));
  const order = sourceOrderOf(values);
  if (!order) return grouped;
  const ordered = order.filter((e): e is [RuleKey, string] =>
    (RULE_KEYS as readonly string[]).includes(e[0])
  );
  const same = RULE_KEYS.every((k) => {
    const inOrder = ordered.filter((e) => e[0] === k).map((e) => e[1]);
    return inOrder.length === values[k].length && inOrder.every((v, i) => v === values[k][i]);
  });
  return same ? ordered : grouped;
}

function modifyChunk(chunk: Chunk, conditions: Condition[], rules: Rule[]): Chunk {
  if (chunk.signal !== "logs" || rules.length === 0) return chunk;
  const records = chunk.records;
  next: for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (isGroupMarker(r)) continue;
    let body = r.body;
    for (let c = 0; c < conditions.length; c++) if (!conditions[c](body)) continue next;
    for (let n = 0; n < rules.length; n++) body = rules[n](body);
    r.body = body;
  }
  return chunk;
}

/** The modify filter plugin. */
export const plugin = defineFilter({
  name: "modify",
  description: "Change records with rules (set, add, remove, rename, copy, move) and conditions",
  options,
  create(values) {
    const conditions = values.condition.map(parseCondition);
    const rules = ruleEntries(values).map(([k, v]) => parseRule(k, v));
    return { process: (chunk) => modifyChunk(chunk, conditions, rules) };
  },
});
