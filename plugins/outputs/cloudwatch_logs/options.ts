/**
 * The cloudwatch_logs output's option table: Fluent Bit 4.2.8's `out_cloudwatch_logs` keys
 * with their defaults, plus the `tls.*` and `net.*` keys of the connection.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { netClientOptions, tlsClientOptions } from "../../../src/net/options.ts";

/** Every key of the cloudwatch_logs output (besides the common output keys). */
export const cloudwatchOptions = {
  region: opt.string(undefined, "The AWS region to send logs to", { required: true }),
  log_group_name: opt.string(undefined, "CloudWatch log group name", { required: true }),
  log_stream_name: opt.string(
    undefined,
    "CloudWatch log stream name; not compatible with log_stream_prefix",
  ),
  log_stream_prefix: opt.string(
    undefined,
    "Prefix of the log stream name; the tag is appended to it",
  ),
  log_group_template: opt.string(
    undefined,
    "Log group name template ($TAG, $TAG[n], record accessors); log_group_name when a " +
      "key is missing",
  ),
  log_stream_template: opt.string(
    undefined,
    "Log stream name template ($TAG, $TAG[n], record accessors); log_stream_name or " +
      "log_stream_prefix when a key is missing",
  ),
  log_key: opt.string(
    undefined,
    "Send only this key's value as the message instead of the whole record as JSON",
  ),
  log_format: opt.string(
    undefined,
    "Sent as the x-amzn-logs-format header: json/emf makes CloudWatch extract EMF metrics",
  ),
  extra_user_agent: opt.string(undefined, "Appended to the user agent"),
  role_arn: opt.string(undefined, "ARN of an IAM role to assume (cross-account access)"),
  external_id: opt.string(undefined, "External ID for the STS AssumeRole call (with role_arn)"),
  sts_endpoint: opt.string(undefined, "Custom STS endpoint (with role_arn)"),
  endpoint: opt.string(
    undefined,
    "Custom CloudWatch Logs endpoint, host[:port] or a URL (http:// for a local receiver)",
  ),
  port: opt.int(undefined, "Port of the endpoint (default 443)", {
    check: (v) => v > 0 && v <= 65535 ? undefined : `expected a port 1-65535, got ${v}`,
  }),
  profile: opt.string(undefined, "AWS profile of the shared credentials file"),
  auto_create_group: opt.bool(false, "Create the log group when it does not exist"),
  auto_retry_requests: opt.bool(
    true,
    "Retry a failed request once at once (besides the engine's retries with backoff)",
  ),
  log_retention_days: opt.int(
    0,
    "Retention policy in days set on log groups this output creates (0 = none)",
  ),
  log_group_class: opt.choice(
    ["", "STANDARD", "INFREQUENT_ACCESS"] as const,
    "",
    "Storage class of created log groups: STANDARD (default) or INFREQUENT_ACCESS",
  ),
  metric_namespace: opt.string(
    undefined,
    "Namespace of EMF documents: cpu and mem input records (default fluent-bit-metrics), and " +
      "metrics (default empty, as Fluent Bit sends OTLP metrics)",
  ),
  metric_dimensions: opt.string(
    undefined,
    "EMF dimensions: comma-separated names, lists separated by ';'",
  ),
  add_entity: opt.bool(false, "Add the entity to PutLogEvents calls (not supported: warned)"),
  ...tlsClientOptions,
  ...netClientOptions,
} satisfies OptionTable;

/** Parsed cloudwatch_logs options. */
export type CloudwatchOptions = OptionValues<typeof cloudwatchOptions>;
