/**
 * The option table of the es output (Fluent Bit's `out_es`, 4.2.8 keys and defaults), which
 * the opensearch output shares: where to connect (`host`, `port`, `path`, `cloud_id`),
 * authentication (`http_user`, `http_api_key`, `cloud_auth`, `aws_*`), how each record
 * becomes a bulk action and a document, and how much of the answer is read.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { parseSize } from "../../../src/config/values.ts";
import {
  httpClientOptions,
  netClientOptions,
  tlsClientOptions,
} from "../../../src/net/http_client/mod.ts";

/** `buffer_size`: a size, or `-1` / `false` / `off` for no limit (0). */
export function parseBufferSize(raw: unknown): number {
  const s = String(raw).trim().toLowerCase();
  if (s === "-1" || s === "false" || s === "off" || s === "no") return 0;
  return parseSize(raw);
}

/** The write operations of a bulk action. */
export const WRITE_OPERATIONS = ["create", "index", "update", "upsert"] as const;

/** Every key of the es output (besides the common output keys). */
export const esOptions = {
  host: opt.string("127.0.0.1", "Elasticsearch host name or IP address"),
  port: opt.int(9200, "Elasticsearch TCP port", {
    check: (v) => v > 0 && v <= 65535 ? undefined : `expected a port 1-65535, got ${v}`,
  }),
  path: opt.string("", "URL prefix of the bulk API: requests go to <path>/_bulk"),
  pipeline: opt.string(undefined, "Ingest pipeline: requests go to <path>/_bulk/?pipeline=NAME"),
  index: opt.string("fluent-bit", "Index name (strftime conversions expand in UTC)"),
  type: opt.string("_doc", "Document type written as _type (unless suppress_type_name)"),
  suppress_type_name: opt.bool(false, "Leave _type out of the action lines (Elasticsearch 7+)"),
  http_user: httpClientOptions.http_user,
  http_passwd: httpClientOptions.http_passwd,
  http_api_key: opt.string(undefined, "API key sent as `Authorization: ApiKey <key>`"),
  compress: opt.string(undefined, "Compress request bodies: gzip", {
    choices: ["gzip", "none"],
  }),
  cloud_id: opt.string(undefined, "Elastic Cloud ID: sets host and port (443, TLS)"),
  cloud_auth: opt.string(undefined, "Elastic Cloud credentials as user:password"),
  aws_auth: opt.bool(false, "Sign requests with AWS SigV4 (Amazon OpenSearch Service)"),
  aws_region: opt.string(undefined, "AWS region of the domain (needed with aws_auth)"),
  aws_sts_endpoint: opt.string(undefined, "Custom AWS STS endpoint (with aws_role_arn)"),
  aws_role_arn: opt.string(undefined, "AWS IAM role to assume"),
  aws_external_id: opt.string(undefined, "External ID for aws_role_arn"),
  aws_service_name: opt.string("es", "Service name in the signature: es, or aoss for Serverless"),
  aws_profile: opt.string(undefined, "AWS profile of the shared credentials file"),
  logstash_format: opt.bool(false, "Index <logstash_prefix>-<date of the record>"),
  logstash_prefix: opt.string("logstash", "Index prefix with logstash_format"),
  logstash_prefix_separator: opt.string("-", "Between the prefix and the date"),
  logstash_prefix_key: opt.string(
    undefined,
    "Record accessor whose value replaces logstash_prefix for that record",
  ),
  logstash_dateformat: opt.string("%Y.%m.%d", "strftime format of the index date"),
  time_key: opt.string("@timestamp", "Name of the time field added first to each document"),
  time_key_format: opt.string("%Y-%m-%dT%H:%M:%S", "strftime format of the time field"),
  time_key_nanos: opt.bool(false, "Nanoseconds in the time field instead of milliseconds"),
  include_tag_key: opt.bool(false, "Add the tag to each document"),
  tag_key: opt.string("flb-key", "Field name of the tag (with include_tag_key)"),
  buffer_size: opt.custom(
    parseBufferSize,
    512_000,
    "Accepted for compatibility: sluice reads whole bulk answers, kept small with " +
      "filter_path, since judging each item needs all of them",
    {
      shows: "size|-1",
      showsDefault: "512k",
    },
  ),
  generate_id: opt.bool(false, "Set _id to a hash of the document, so a retry cannot duplicate it"),
  write_operation: opt.choice(
    WRITE_OPERATIONS,
    "create",
    "Bulk operation: create, index, update or upsert",
  ),
  id_key: opt.string(undefined, "Record accessor whose string value becomes _id"),
  replace_dots: opt.bool(false, "Replace dots in field names with underscores"),
  current_time_index: opt.bool(false, "Date the index by the flush time, not the record time"),
  trace_output: opt.bool(false, "Print each bulk request body to stdout (diagnostics)"),
  trace_error: opt.bool(false, "Log the request and the full answer of a failed bulk request"),
  ...tlsClientOptions,
  ...netClientOptions,
} satisfies OptionTable;

/** Parsed es output options. */
export type EsOptions = OptionValues<typeof esOptions>;
