/**
 * The `null` output: discards every event of every signal (Fluent Bit's `out_null`),
 * for tests and benchmarks.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { nullOptions } from "./options.ts";

/** The null output plugin definition. */
export const plugin = defineOutput({
  name: "null",
  description: "Throws away events",
  options: nullOptions,
  example: { options: {} },
  signals: ["logs", "traces", "metrics"],
  create: async (options, ctx) => (await import("./null.ts")).createNullOutput(options, ctx),
});
