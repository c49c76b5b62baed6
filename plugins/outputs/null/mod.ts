/**
 * The `null` output: discards every event of every signal (Fluent Bit's `out_null`),
 * for tests and benchmarks.
 */
import { defineOutput } from "../../../src/engine/plugin.ts";
import { createNullOutput } from "./null_output.ts";
import { nullOptions } from "./options.ts";

/** The null output plugin definition. */
export const plugin = defineOutput({
  name: "null",
  kind: "output",
  description: "Throws away events",
  options: nullOptions,
  signals: ["logs", "traces", "metrics"],
  create: (options, ctx) => createNullOutput(options, ctx),
});
