/**
 * The prometheus_remote_write output's option table: the HTTP client's keys
 * (`src/net/http_client`, with `compression` in place of `compress`) and Fluent Bit's
 * `out_prometheus_remote_write` keys of its own.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { httpClientOptions } from "../../../src/net/http_client/mod.ts";

const { compress: _compress, ...clientOptions } = httpClientOptions;

/** Every key of Fluent Bit's prometheus_remote_write output (besides the common output keys). */
export const prometheusRemoteWriteOptions = {
  ...clientOptions,
  uri: opt.string("/", "Path of the write endpoint, e.g. /api/v1/write (a / is prepended)"),
  add_label: opt.multi("A `NAME VALUE` label added to every series; may repeat"),
  compression: opt.choice(
    ["snappy", "gzip"] as const,
    "snappy",
    "Body compression: snappy (block format, the protocol's) or gzip",
  ),
  bearer_token: opt.string(
    undefined,
    "Send `Authorization: Bearer <token>` (sluice addition; http_user wins when both are set)",
  ),
  log_response_payload: opt.bool(true, "Log the response body of failed requests"),
  aws_auth: opt.bool(
    false,
    "Sign requests with AWS SigV4 (not supported yet: warns and sends unsigned)",
  ),
  aws_region: opt.string(undefined, "AWS region for aws_auth"),
  aws_service: opt.string("aps", "AWS service for aws_auth"),
} satisfies OptionTable;

/** Parsed prometheus_remote_write options. */
export type PrometheusRemoteWriteOptions = OptionValues<typeof prometheusRemoteWriteOptions>;
