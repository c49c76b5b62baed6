/** The `mem` input: memory and swap usage every interval (Fluent Bit's `in_mem`). */
import { defineInput } from "../../../src/plugin.ts";
import { memOptions } from "./options.ts";

/** The mem input plugin definition. */
export const plugin = defineInput({
  name: "mem",
  description: "Memory Usage",
  options: memOptions,
  notes: [
    'proc_hr is the human-readable size Fluent Bit means to send ("15.09M"); ' +
    "Fluent Bit 4.2.8 sends the string's address as an integer",
  ],
  example: {
    options: { interval_sec: 0, interval_nsec: 100_000_000 },
    feed: { kind: "interval", records: 2 },
  },
  create: async (options, ctx) => new (await import("./mem.ts")).MemInput(options, ctx),
});
