/**
 * The `exec` input: runs a shell command every interval or once (Fluent Bit's `in_exec`),
 * each stdout line a record; with `exit_after_oneshot`, the service stops when it exits,
 * and `propagate_exit_code` makes its exit code sluice's.
 */
import { defineInput } from "../../../src/plugin.ts";
import { execOptions } from "./options.ts";
import { execSettings } from "./settings.ts";

/** The exec input plugin definition. */
export const plugin = defineInput({
  name: "exec",
  description: "Exec Input",
  options: execOptions,
  example: {
    options: { command: "printf 'one\\ntwo\\nthree'", exit_after_oneshot: true },
    feed: { kind: "generates", records: 3 },
  },
  create: async (options, ctx) =>
    new (await import("./exec.ts")).ExecInput(execSettings(options, ctx.parsers), ctx),
});
