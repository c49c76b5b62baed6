/** The throttle filter's option table: Fluent Bit's `filter_throttle` keys. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's throttle filter (besides the common filter keys). */
export const throttleOptions = {
  rate: opt.float(1, "Records allowed per interval on average over the window (1 at least)"),
  window: opt.int(5, "Number of intervals (panes) the average is taken over (5 when 1 or less)"),
  interval: opt.string("1", "Length of one pane: a number with an optional s, m, h or d suffix"),
  print_status: opt.bool(false, "Log the limit and the current rate at every interval"),
} satisfies OptionTable;

/** Parsed throttle filter options. */
export type ThrottleOptions = OptionValues<typeof throttleOptions>;
