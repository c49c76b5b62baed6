/**
 * From es/opensearch option values to what the output runs with: the bulk encoder's
 * settings, the request path, where to connect and how to authenticate. Bad mixes are
 * refused here with an OptionError naming the key.
 */
import { compileAccessor } from "../../../src/event/record_accessor.ts";
import { normalizePath } from "../../../src/net/http_client/mod.ts";
import { OptionError, type PluginContext } from "../../../src/plugin.ts";
import type { BulkSettings } from "./bulk.ts";
import { parseCloudAuth, parseCloudId } from "./cloud.ts";
import type { EsOptions } from "./options.ts";

/**
 * The `filter_path` of every bulk request: the answer carries only the errors flag and each
 * item's status and error, a tenth of its full size, so it can be read whole and judged item
 * by item.
 */
export const BULK_FILTER = "errors,items.*.status,items.*.error";

/** Where and how requests go. */
export interface Target {
  host: string;
  port: number;
  tls: boolean;
  /** `<path>/_bulk?filter_path=...` or `<path>/_bulk/?pipeline=<p>&filter_path=...`. */
  path: string;
  /** Basic credentials (http_user, else cloud_auth). */
  user?: [string, string];
  /** The `Authorization` header of http_api_key. */
  apiKey?: string;
}

function accessor(key: string, pattern: string, dollar: boolean) {
  try {
    return compileAccessor(dollar && !pattern.startsWith("$") ? `$${pattern}` : pattern);
  } catch (e) {
    throw new OptionError(key, (e as Error).message);
  }
}

/** The bulk settings of `o`; throws OptionError for a bad mix. */
export function bulkSettings(
  o: EsOptions,
  ctx: Pick<PluginContext, "log" | "settings">,
): BulkSettings {
  const update = o.write_operation === "update" || o.write_operation === "upsert";
  const idKey = o.id_key ? accessor("id_key", o.id_key, false) : undefined;
  let generateId = o.generate_id;
  if (idKey && generateId) {
    ctx.log.warn("generate_id is ignored when id_key is set");
    generateId = false;
  }
  if (update && !idKey && !generateId) {
    throw new OptionError(
      "write_operation",
      `Cannot use "write_operation" ${o.write_operation}: it needs id_key or generate_id`,
    );
  }
  return {
    action: update ? "update" : o.write_operation as "create" | "index",
    wrap: o.write_operation === "update"
      ? "doc"
      : o.write_operation === "upsert"
      ? "upsert"
      : "none",
    index: o.index,
    type: o.suppress_type_name ? undefined : o.type,
    logstash: o.logstash_format
      ? {
        prefix: o.logstash_prefix,
        separator: o.logstash_prefix_separator,
        dateFormat: o.logstash_dateformat,
        prefixKey: o.logstash_prefix_key
          ? accessor("logstash_prefix_key", o.logstash_prefix_key, true)
          : undefined,
      }
      : undefined,
    timeKey: o.time_key,
    timeKeyFormat: o.time_key_format,
    timeKeyNanos: o.time_key_nanos,
    tagKey: o.include_tag_key ? o.tag_key : undefined,
    replaceDots: o.replace_dots,
    generateId,
    idKey,
    currentTimeIndex: o.current_time_index,
    escapeUnicode: ctx.settings.jsonEscapeUnicode ?? true,
  };
}

/** Host, port, path and credentials of `o`; cloud_id overrides host and port and turns TLS on. */
export function target(o: EsOptions): Target {
  const query = o.pipeline ? `/?pipeline=${encodeURIComponent(o.pipeline)}&` : "?";
  const path = `${o.path.replace(/\/+$/, "")}/_bulk${query}filter_path=${BULK_FILTER}`;
  const cloud = o.cloud_id ? parseCloudId(o.cloud_id) : undefined;
  const user: [string, string] | undefined = o.http_user
    ? [o.http_user, o.http_passwd]
    : o.cloud_auth
    ? parseCloudAuth(o.cloud_auth)
    : undefined;
  return {
    host: cloud?.host ?? o.host,
    port: cloud?.port ?? o.port,
    tls: cloud ? true : o.tls,
    path: normalizePath(path),
    user,
    apiKey: !user && o.http_api_key ? `ApiKey ${o.http_api_key}` : undefined,
  };
}
