/**
 * The `modify` filter: set, add, remove, rename, copy and reorder top-level keys of log
 * records, when all its conditions hold.
 */
import { defineFilter } from "../../../src/plugin.ts";
import { modifyOptions } from "./options.ts";

/** The modify filter plugin. */
export const plugin = defineFilter({
  name: "modify",
  description: "Change records with rules (set, add, remove, rename, copy, move) and conditions",
  options: modifyOptions,
  example: { options: { add: "k v" } },
  create: async (values) => (await import("./modify.ts")).createModify(values),
});
