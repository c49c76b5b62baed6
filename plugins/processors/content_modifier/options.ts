/** The content_modifier processor's option table: Fluent Bit's keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { CONTEXTS } from "./compile.ts";

/** Every key of the content_modifier processor (besides the common processor keys). */
export const contentModifierOptions = {
  action: opt.choice(
    ["insert", "upsert", "delete", "rename", "hash", "extract", "convert"] as const,
    undefined,
    "What to do with key: insert (when absent), upsert, delete, rename (to value), hash " +
      "(SHA-256 hex), extract (named groups of pattern become keys), convert (to converted_type)",
    { required: true },
  ),
  context: opt.choice(
    CONTEXTS,
    undefined,
    "Where the action applies: logs body (default), metadata/attributes, otel_log_attributes; " +
      "traces span_attributes (default), span_name, span_kind, span_status; both " +
      "otel_resource_attributes, otel_scope_attributes, otel_scope_name, otel_scope_version",
  ),
  key: opt.string(
    undefined,
    "The key to act on (not needed for otel_scope_name/version, span_name, span_kind, span_status)",
  ),
  value: opt.string(
    undefined,
    "insert/upsert: the new value; rename: the new key name; span_kind: a kind name such as " +
      "SERVER; span_status: UNSET, OK or ERROR",
  ),
  pattern: opt.string(undefined, "extract: a regular expression with named groups (?<name>...)"),
  converted_type: opt.choice(
    ["string", "boolean", "int", "double"] as const,
    undefined,
    "convert: the type to convert to",
  ),
} satisfies OptionTable;

/** Parsed content_modifier processor options. */
export type ContentModifierOptions = OptionValues<typeof contentModifierOptions>;
