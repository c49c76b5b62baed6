/**
 * The `rewrite_tag` filter: emit records again under a new tag made from rules, as Fluent
 * Bit's `filter_rewrite_tag` does, through an emitter input of its own
 * (`emitter_for_<name>`), so they go through the pipeline from the start. Acks carry across
 * the re-emit, and a rule that would loop is stopped.
 */
import { defineFilter } from "../../../src/plugin.ts";
import { rewriteTagOptions } from "./options.ts";

/** The rewrite_tag filter plugin. */
export const plugin = defineFilter({
  name: "rewrite_tag",
  description: "Rewrite records tags",
  options: rewriteTagOptions,
  example: { options: { rule: "$message ^(.*)$ rewritten.$TAG true" } },
  create: async (values, ctx) => (await import("./rewrite_tag.ts")).createRewriteTag(values, ctx),
});
