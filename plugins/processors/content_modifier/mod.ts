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
import { opt } from "../../../src/config/options.ts";
import { defineProcessor } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { compileModifier, CONTEXTS } from "./config.ts";
import { modifyLogs } from "./logs.ts";
import { traceModifier } from "./traces.ts";

const options = {
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
};

/** The content_modifier processor plugin. */
export const plugin = defineProcessor({
  name: "content_modifier",
  description: "Insert, upsert, delete, rename, hash, extract or convert a key of logs or traces",
  signals: ["logs", "traces"],
  options,
  create(values, ctx) {
    const m = compileModifier(values);
    const traces = m.traces ? traceModifier(m) : undefined;
    return {
      process(chunk: Chunk): Chunk {
        if (chunk.signal === "logs") {
          if (m.logs) modifyLogs(chunk, { context: m.logs, op: m.op });
          else ctx.log.once("warn", "logs", `context ${values.context} does not apply to logs`);
        } else if (chunk.signal === "traces") {
          if (traces) traces(chunk);
          else ctx.log.once("warn", "traces", `context ${values.context} does not apply to traces`);
        }
        return chunk;
      },
    };
  },
});
