/**
 * The s3 output's option table: Fluent Bit 4.2.8's `out_s3` keys with their defaults, plus
 * the `tls.*` and `net.*` keys of the connection.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { JSON_DATE_FORMATS } from "../../../src/event/json_format.ts";
import { netClientOptions, tlsClientOptions } from "../../../src/net/options.ts";

/** S3's smallest multipart part but the last (and upload_chunk_size's minimum). */
export const MIN_PART_SIZE = 5_242_880;

const blob = "Blob file uploads (not supported yet: a warning when set)";

/** Fluent Bit's keys for blob file uploads, accepted and warned about. */
function blobOptions() {
  return {
    blob_database_file: opt.string(undefined, blob),
    part_size: opt.size(25_000_000, blob),
    file_delivery_attempt_limit: opt.int(1, blob),
    part_delivery_attempt_limit: opt.int(1, blob),
    upload_parts_timeout: opt.duration(600, blob),
    upload_part_freshness_limit: opt.duration(6 * 86400, blob),
    authorization_endpoint_url: opt.string(undefined, blob),
    authorization_endpoint_username: opt.string(undefined, blob),
    authorization_endpoint_password: opt.string(undefined, blob),
    authorization_endpoint_bearer_token: opt.string(undefined, blob),
  } satisfies OptionTable;
}

/** Every key of the s3 output (besides the common output keys). */
export const s3Options = {
  bucket: opt.string(undefined, "S3 bucket name", { required: true }),
  region: opt.string("us-east-1", "AWS region"),
  total_file_size: opt.size(100_000_000, "Size of the files in S3 (1M to 50G)"),
  upload_chunk_size: opt.size(
    MIN_PART_SIZE,
    "Size of each multipart part: buffered data is sent once it reaches this size",
  ),
  upload_timeout: opt.duration(
    600,
    "Complete an upload (or send a buffered file) at the latest this long after it began",
  ),
  use_put_object: opt.bool(false, "Use PutObject instead of the multipart upload API"),
  s3_key_format: opt.string(
    "/fluent-bit-logs/$TAG/%Y/%m/%d/%H/%M/%S",
    "Object key: strftime (UTC, time of the first record) with $TAG, $TAG[n], $UUID, $INDEX",
  ),
  s3_key_format_tag_delimiters: opt.string(".", "Characters that split the tag for $TAG[n]"),
  static_file_path: opt.bool(
    false,
    "Do not append a random suffix to PutObject keys without $UUID or $INDEX",
  ),
  compression: opt.string(undefined, "Compress objects: gzip or zstd (arrow, parquet: refused)"),
  content_type: opt.string(undefined, "Content-Type of the objects"),
  store_dir: opt.string(
    "/tmp/fluent-bit/s3",
    "Directory that buffers data before upload; it survives restarts",
  ),
  store_dir_limit_size: opt.size(0, "Most bytes buffered in store_dir (0 = no limit)"),
  json_date_key: opt.string("date", "Name of the time key; false (or off) leaves it out"),
  json_date_format: opt.choice(
    JSON_DATE_FORMATS,
    "iso8601",
    "Format of the time key: double, epoch, epoch_ms, iso8601 or java_sql_timestamp",
  ),
  log_key: opt.string(undefined, "Send only this key's value, one per line"),
  canned_acl: opt.string(undefined, "Canned ACL of the objects (x-amz-acl)"),
  storage_class: opt.string(undefined, "Storage class of the objects (x-amz-storage-class)"),
  send_content_md5: opt.bool(false, "Send Content-MD5 with PutObject (Object Lock buckets)"),
  preserve_data_ordering: opt.bool(true, "Upload the buffered files of a tag in order"),
  auto_retry_requests: opt.bool(true, "Retry a failed request once at once"),
  role_arn: opt.string(undefined, "ARN of an IAM role to assume (cross-account access)"),
  external_id: opt.string(undefined, "External ID for the STS AssumeRole call (with role_arn)"),
  sts_endpoint: opt.string(undefined, "Custom STS endpoint (with role_arn)"),
  endpoint: opt.string(undefined, "Custom S3 endpoint, a URL (http:// allowed) or host[:port]"),
  port: opt.int(undefined, "Port of the endpoint", {
    check: (v) => v > 0 && v <= 65535 ? undefined : `expected a port 1-65535, got ${v}`,
  }),
  profile: opt.string(undefined, "AWS profile of the shared credentials file"),
  ...blobOptions(),
  ...tlsClientOptions,
  ...netClientOptions,
} satisfies OptionTable;

/** Parsed s3 options. */
export type S3Options = OptionValues<typeof s3Options>;
