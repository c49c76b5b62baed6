/**
 * The `stdout` output: prints records to standard output in Fluent Bit's readable
 * form or as JSON (Fluent Bit's `out_stdout`).
 */
import { defineOutput } from "../../../src/plugin.ts";
import { stdoutOptions } from "./options.ts";

/** The stdout output plugin definition. */
export const plugin = defineOutput({
  name: "stdout",
  description: "Prints events to STDOUT",
  options: stdoutOptions,
  example: { options: {} },
  signals: ["logs", "traces", "metrics"],
  create: async (options, ctx) => (await import("./stdout.ts")).createStdoutOutput(options, ctx),
});
