/**
 * The `grep` filter: keep or drop log records by regular expressions on their fields.
 */
import { defineFilter } from "../../../src/plugin.ts";
import { grepOptions } from "./options.ts";

/** The grep filter plugin. */
export const plugin = defineFilter({
  name: "grep",
  description: "Keep or drop records whose fields match regular expressions",
  options: grepOptions,
  example: {
    options: { regex: "log x" },
    samples: { logs: [{ log: "x marks" }, { log: "other" }] },
  },
  create: async (values) => (await import("./grep.ts")).createGrep(values),
});
