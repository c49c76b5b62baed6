/** The rewrite_tag filter's option table: Fluent Bit's `filter_rewrite_tag` keys. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's rewrite_tag filter (besides the common filter keys). */
export const rewriteTagOptions = {
  rule: opt.multi(
    "`$KEY REGEX NEW_TAG KEEP`: a record whose KEY matches REGEX is emitted again under " +
      "NEW_TAG ($TAG, $TAG[n], $0-$9, $key); KEEP true also keeps the original",
  ),
  emitter_name: opt.string(
    undefined,
    "Name of the emitter input that re-emits records (default emitter_for_<filter name>)",
  ),
  "emitter_storage.type": opt.choice(
    ["memory", "filesystem"] as const,
    "memory",
    "Where the emitter buffers records: memory or filesystem (needs service storage.path)",
  ),
  emitter_mem_buf_limit: opt.size(10_000_000, "The emitter input's mem_buf_limit"),
} satisfies OptionTable;

/** Parsed rewrite_tag filter options. */
export type RewriteTagOptions = OptionValues<typeof rewriteTagOptions>;
