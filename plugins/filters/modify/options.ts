/** The modify filter's option table: Fluent Bit's `filter_modify` keys and meaning. */
import {
  opt,
  type OptionSpec,
  type OptionTable,
  type OptionValues,
} from "../../../src/config/options.ts";
import { RULE_KEYS, type RuleKey } from "./rules.ts";

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

/** Every key of Fluent Bit's modify filter (besides the common filter keys). */
export const modifyOptions = {
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
} satisfies OptionTable;

/** Parsed modify filter options. */
export type ModifyOptions = OptionValues<typeof modifyOptions>;
