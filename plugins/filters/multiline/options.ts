/** The multiline filter's option table: Fluent Bit's `filter_multiline` keys and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's multiline filter (besides the common filter keys). */
export const multilineOptions = {
  "multiline.parser": opt.list(
    [],
    "Multiline parsers tried in order, e.g. `go, java` or a multiline_parsers name (mode parser)",
  ),
  "multiline.key_content": opt.string("log", "Field holding the text to join"),
  mode: opt.choice(
    ["parser", "partial_message"] as const,
    "parser",
    "parser joins with multiline parsers; partial_message joins records split by the " +
      "container runtime (partial_message, partial_id, partial_last)",
  ),
  buffer: opt.bool(
    true,
    "Hold records across chunks until their message is complete or flush_ms passes; " +
      "off joins within each chunk only",
  ),
  flush_ms: opt.int(2000, "Milliseconds after its last line an unfinished message is flushed", {
    check: (v) => (v !== undefined && v <= 0 ? "expected milliseconds above 0" : undefined),
  }),
  debug_flush: opt.bool(false, "Accepted for compatibility"),
  emitter_name: opt.string(
    undefined,
    "Accepted for compatibility: joined records are emitted in place, not re-ingested",
  ),
  "emitter_storage.type": opt.choice(
    ["memory", "filesystem"] as const,
    "memory",
    "Accepted for compatibility",
  ),
  emitter_mem_buf_limit: opt.size(10_000_000, "Accepted for compatibility"),
} satisfies OptionTable;

/** Parsed multiline filter options. */
export type MultilineOptions = OptionValues<typeof multilineOptions>;
