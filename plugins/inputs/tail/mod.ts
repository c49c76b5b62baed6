/**
 * The `tail` input: follows files like `tail -F` (Fluent Bit's `in_tail`), through
 * rotation (rename and copytruncate), truncation, deletion and restarts, committing each
 * file's position only once outputs have acknowledged the lines before it.
 */
import { defineInput } from "../../../src/plugin.ts";
import { tailOptions } from "./options.ts";
import { tailSettings } from "./settings.ts";

/** The tail input plugin definition. */
export const plugin = defineInput({
  name: "tail",
  description: "Tail files",
  options: tailOptions,
  example: {
    options: { path: "${TEST_DIR}/tail_in.log", read_from_head: true, exit_on_eof: true },
    feed: { kind: "file", path: "${TEST_DIR}/tail_in.log", text: "one\ntwo\nthree\n", records: 3 },
  },
  create: async (options, ctx) =>
    new (await import("./tail.ts")).TailInput(tailSettings(options, ctx), ctx),
});
