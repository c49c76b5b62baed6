/**
 * The loki output's option table: the HTTP client's keys (`src/net/http_client`) with
 * Loki's host, port and uri defaults, and Fluent Bit's `out_loki` keys.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { httpClientOptions } from "../../../src/net/http_client/mod.ts";

/** Every key of Fluent Bit's loki output (besides the common output keys). */
export const lokiOptions = {
  ...httpClientOptions,
  port: { ...httpClientOptions.port, default: 3100 },
  uri: opt.string("/loki/api/v1/push", "Path of Loki's push endpoint"),
  compress: opt.string(undefined, "Compress request bodies: gzip", { choices: ["gzip", "none"] }),
  tenant_id: opt.string(undefined, "Tenant ID sent as the X-Scope-OrgID header"),
  tenant_id_key: opt.string(
    undefined,
    "Record accessor of a string key whose value is the tenant ID (wins over tenant_id)",
  ),
  labels: opt.list(
    [],
    "Stream labels: key=value, key=$record_accessor or $record_accessor (default job=fluent-bit)",
  ),
  label_keys: opt.list([], "Record accessors ($key) whose values become stream labels"),
  label_map_path: opt.string(
    undefined,
    "A JSON file mirroring the record whose string leaves name the labels to create",
  ),
  structured_metadata: opt.list(
    [],
    "Structured metadata (Loki 3): key=value, key=$record_accessor or $record_accessor",
  ),
  structured_metadata_map_keys: opt.list(
    [],
    "Record accessors of maps whose entries become structured metadata",
  ),
  remove_keys: opt.list([], "Keys (record accessors allowed) removed from the log line"),
  drop_single_key: opt.string(
    "off",
    "When one key is left, send its value alone: on, off or raw (strings unquoted in json)",
  ),
  line_format: opt.choice(["json", "key_value"] as const, "json", "Log line format"),
  auto_kubernetes_labels: opt.bool(
    false,
    "Add every string $kubernetes['labels'] entry as a label",
  ),
  bearer_token: opt.string(undefined, "Send `Authorization: Bearer <token>` (not with http_user)"),
  buffer_size: opt.size(512 * 1024, "Most bytes of Loki's answer kept for messages"),
} satisfies OptionTable;

/** Parsed loki output options. */
export type LokiOptions = OptionValues<typeof lokiOptions>;
