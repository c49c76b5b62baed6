/**
 * The `throttle` filter: drop records while their average rate over a sliding window of
 * time panes is above `rate`, exactly as Fluent Bit's `filter_throttle`.
 */
import { defineFilter } from "../../../src/plugin.ts";
import { throttleOptions } from "./options.ts";

/** The throttle filter plugin. */
export const plugin = defineFilter({
  name: "throttle",
  description: "Limit the rate of records with a sliding window",
  options: throttleOptions,
  example: { options: { rate: 1000, window: 5, interval: "1s" } },
  create: async (values, ctx) => (await import("./throttle.ts")).createThrottle(values, ctx),
});
