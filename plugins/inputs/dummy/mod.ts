/**
 * The `dummy` input: generates a fixed record at a fixed rate, for tests, demos and
 * benchmarks (Fluent Bit's `in_dummy`).
 */
import { defineInput } from "../../../src/plugin.ts";
import { dummyOptions } from "./options.ts";

/** The dummy input plugin definition. */
export const plugin = defineInput({
  name: "dummy",
  description: "Generate dummy data",
  options: dummyOptions,
  example: {
    options: { samples: 2, copies: 3, rate: 100, flush_on_startup: true },
    feed: { kind: "generates", records: 6 },
  },
  create: async (options, ctx) => (await import("./dummy.ts")).createDummyInput(options, ctx),
});
