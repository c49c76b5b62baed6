/**
 * The `record_modifier` filter: append fixed fields, remove fields or keep only some, and
 * add a UUID per record.
 */
import { defineFilter } from "../../../src/plugin.ts";
import { recordModifierOptions } from "./options.ts";

/** The record_modifier filter plugin. */
export const plugin = defineFilter({
  name: "record_modifier",
  description: "Append fields, remove or allowlist fields, and add a UUID to log records",
  options: recordModifierOptions,
  example: { options: { record: "k v" } },
  create: async (values) => (await import("./record_modifier.ts")).createRecordModifier(values),
});
