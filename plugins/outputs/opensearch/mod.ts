/**
 * The `opensearch` output: Fluent Bit's `out_opensearch`, the es output's bulk writer with
 * OpenSearch's defaults (one worker, no Elastic Cloud keys), AWS SigV4 for Amazon
 * OpenSearch Service (`aws_service_name es`) and Serverless (`aoss`).
 */
import type { OptionTable } from "../../../src/config/options.ts";
import { defineOutput } from "../../../src/plugin.ts";
import { ES_NOTES } from "../es/mod.ts";
import { type EsOptions, esOptions } from "../es/options.ts";

const { cloud_id: _id, cloud_auth: _auth, http_api_key: _key, ...shared } = esOptions;

/** Every key of the opensearch output: the es keys without cloud_id, cloud_auth, http_api_key. */
export const opensearchOptions = {
  ...shared,
  host: { ...esOptions.host, description: "OpenSearch host name or IP address" },
  port: { ...esOptions.port, description: "OpenSearch TCP port" },
  aws_profile: { ...esOptions.aws_profile, default: "default" },
} satisfies OptionTable;

/** The opensearch output plugin definition. */
export const plugin = defineOutput({
  name: "opensearch",
  description: "OpenSearch",
  options: opensearchOptions,
  notes: [
    ...ES_NOTES.filter((n) => !n.startsWith("cloud_id")),
    "generate_id ids are the es output's (MurmurHash3 of the document); Fluent Bit's " +
    "opensearch output hashes with XXH3, so its ids differ (each is stable across retries).",
    "Logs only: Fluent Bit's opensearch output also takes traces.",
  ],
  example: { options: { port: "${TEST_HTTP_PORT}" } },
  create: async (options, ctx) =>
    (await import("../es/es.ts")).createEsOutput(
      {
        ...options,
        cloud_id: undefined,
        cloud_auth: undefined,
        http_api_key: undefined,
      } as EsOptions,
      ctx,
      { service: "OpenSearch" },
    ),
});
