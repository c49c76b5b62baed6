/** The nest filter's option table: Fluent Bit's `filter_nest` keys. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's nest filter (besides the common filter keys). */
export const nestOptions = {
  operation: opt.string(undefined, "`nest` (move keys into a map) or `lift` (hoist a map's keys)", {
    required: true,
  }),
  wildcard: opt.multi(
    "Nest the keys matching this (exact, or a prefix with a trailing *); may repeat",
  ),
  nest_under: opt.string(undefined, "Nest: the key of the new map"),
  nested_under: opt.string(undefined, "Lift: the key of the map whose keys are lifted"),
  add_prefix: opt.string(undefined, "Prefix added to each moved key"),
  prefix_with: opt.string(undefined, "Old name of add_prefix"),
  remove_prefix: opt.string(undefined, "Prefix removed from each moved key that starts with it"),
} satisfies OptionTable;

/** Parsed nest filter options. */
export type NestOptions = OptionValues<typeof nestOptions>;
