/** The grep filter's option table: Fluent Bit's `filter_grep` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's grep filter (besides the common filter keys). */
export const grepOptions = {
  regex: opt.multi(
    "Keep records whose KEY matches: `KEY REGEX` (KEY a record accessor or a top-level key; " +
      "numbers and booleans match as text)",
  ),
  exclude: opt.multi("Drop records whose KEY matches: `KEY REGEX`"),
  logical_op: opt.choice(
    ["legacy", "and", "or"] as const,
    "legacy",
    "How rules combine: legacy (drop on any exclude match, keep only when every regex " +
      "matches), and, or (and/or take one kind of rule only)",
  ),
} satisfies OptionTable;

/** Parsed grep filter options. */
export type GrepOptions = OptionValues<typeof grepOptions>;
