/**
 * The `file` output: appends records to files, one per tag unless `file` is set, in
 * Fluent Bit's `out_file` formats (Fluent Bit's `out_file`).
 */
import { defineOutput } from "../../../src/plugin.ts";
import { fileOptions } from "./options.ts";

/** The file output plugin definition. */
export const plugin = defineOutput({
  name: "file",
  description: "Generate log file",
  options: fileOptions,
  example: { options: { path: "${TEST_DIR}" } },
  signals: ["logs", "metrics"],
  create: async (options, ctx) => (await import("./file.ts")).createFileOutput(options, ctx),
});
