/** The record_modifier filter's option table: Fluent Bit's `filter_record_modifier` keys. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's record_modifier filter (besides the common filter keys). */
export const recordModifierOptions = {
  record: opt.multi(
    "Append a field: `KEY VALUE` (either may be quoted); an existing KEY is replaced at the end",
  ),
  remove_key: opt.multi(
    "Remove the field with this key (case-insensitive; a trailing * matches a prefix)",
  ),
  allowlist_key: opt.multi(
    "Keep only fields with these keys (case-insensitive; a trailing * matches a prefix); " +
      "a record left with no field is dropped",
  ),
  whitelist_key: opt.multi("Alias of allowlist_key"),
  uuid_key: opt.string(undefined, "Add a random UUID v4 under this key to every record"),
} satisfies OptionTable;

/** Parsed record_modifier filter options. */
export type RecordModifierOptions = OptionValues<typeof recordModifierOptions>;
