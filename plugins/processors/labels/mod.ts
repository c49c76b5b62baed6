/**
 * The `labels` processor (metrics): update, insert, upsert, delete or hash the labels of
 * every series, as Fluent Bit's `processor_labels` does. The order is fixed: delete, update,
 * upsert, insert, hash; label names match case-insensitively.
 */
import { defineProcessor } from "../../../src/plugin.ts";
import { labelsOptions } from "./options.ts";

/** The labels processor plugin. */
export const plugin = defineProcessor({
  name: "labels",
  description: "Modifies metrics labels",
  signals: ["metrics"],
  options: labelsOptions,
  notes: [
    "insert adds the label to each series that lacks it (Fluent Bit skips the whole chunk " +
    "when any series has it)",
    "hash is SHA-256 hex, as Fluent Bit computes it (its help text says SHA1)",
    "A label added to every series stays when labels processors are chained (Fluent Bit's " +
    "next labels processor drops the context-wide labels the previous one added)",
    "Fluent Bit's YAML takes one value per action; sluice also takes a list",
  ],
  example: { options: { upsert: "env prod", hash: "user" } },
  create: async (values, ctx) =>
    (await import("./labels.ts")).createLabels(values, (m) => ctx.log.warn(m)),
});
