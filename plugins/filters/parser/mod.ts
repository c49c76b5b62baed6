/**
 * The `parser` filter: parse one field of each record (`key_name`) with named parsers,
 * tried in order. Records no parser matches pass through unchanged.
 */
import { defineFilter } from "../../../src/plugin.ts";
import { parserOptions } from "./options.ts";

/** The parser filter plugin. */
export const plugin = defineFilter({
  name: "parser",
  description: "Parse a field of each record with named parsers",
  options: parserOptions,
  example: {
    options: { key_name: "log", parser: "json" },
    samples: { logs: [{ log: '{"a":1}' }, { log: "not json" }] },
  },
  create: async (values, ctx) => (await import("./parser.ts")).createParser(values, ctx),
});
