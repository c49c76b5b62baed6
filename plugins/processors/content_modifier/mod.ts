/**
 * The `content_modifier` processor: one action (insert, upsert, delete, rename,
 * hash, extract, convert) on one key of one context of logs or traces, in place.
 *
 * Contexts, as Fluent Bit names them:
 * - logs: `body` (default; also `message`, `record`), `metadata` (also `attributes`: the
 *   record's metadata map, as Fluent Bit has it), `otel_log_attributes`
 *   (`metadata.otlp.attributes`), and for OTLP-grouped logs `otel_resource_attributes`,
 *   `otel_scope_attributes`, `otel_scope_name`, `otel_scope_version` (the group's
 *   resource and scope, held in its GROUP_START record).
 * - traces: `span_attributes` (default), `span_name`, `span_kind`, `span_status` (key
 *   `code`, the default, or `message`), and the same four OTel resource/scope contexts.
 *   Resource and scope objects are shared by the spans that came with them: a change
 *   to one shows on all of them, and each object is changed once.
 *
 * The scope name/version contexts allow insert, upsert, delete and hash, and work on
 * the key `name`/`version` whatever `key` says (it may be left out). Inserted and
 * upserted values are strings. `hash` writes the SHA-256 hex digest.
 */
import { defineProcessor } from "../../../src/plugin.ts";
import { contentModifierOptions } from "./options.ts";

/** The content_modifier processor plugin. */
export const plugin = defineProcessor({
  name: "content_modifier",
  description: "Insert, upsert, delete, rename, hash, extract or convert a key of logs or traces",
  signals: ["logs", "traces"],
  options: contentModifierOptions,
  example: { options: { action: "upsert", key: "k", value: "v" } },
  create: async (values, ctx) =>
    (await import("./content_modifier.ts")).createContentModifier(values, ctx),
});
