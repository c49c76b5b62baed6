/**
 * The `stdin` input: reads the process's standard input line by line (Fluent Bit's
 * `in_stdin`), JSON lines as records and other lines as `{"log": line}`.
 */
import { defineInput } from "../../../src/plugin.ts";
import { stdinOptions } from "./options.ts";

/** The stdin input plugin definition. */
export const plugin = defineInput({
  name: "stdin",
  description: "Standard Input",
  options: stdinOptions,
  example: { options: {}, feed: { kind: "stdin", text: '{"a":1}\nplain\nlast', records: 3 } },
  create: async (options, ctx) =>
    (await import("./stdin.ts")).createStdinInput(options, ctx, Deno.stdin.readable),
});
