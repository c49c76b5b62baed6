/**
 * The `stackdriver` output: writes log records to Google Cloud Logging through
 * `entries:write`, as Fluent Bit's `out_stackdriver` does (same keys, resource labels and
 * LogEntry fields), with OAuth2 tokens from a service account or the metadata server.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { stackdriverOptions } from "./options.ts";

/** The stackdriver output plugin definition. */
export const plugin = defineOutput({
  name: "stackdriver",
  description: "Send events to Google Stackdriver Logging",
  options: stackdriverOptions,
  notes: [
    "A 401 from Cloud Logging (token expired or revoked) drops the token and retries the same " +
    "batch with a fresh one; a token endpoint that refuses the account is a permanent error " +
    "naming the account, not a retry loop.",
    "Partial answers (WriteLogEntriesPartialErrors) are judged per entry: refused entries go " +
    "to the dead-letter store with Google's reason, transient ones (UNAVAILABLE, " +
    "RESOURCE_EXHAUSTED, ...) are retried alone.",
    "A record with a bad insertId or a labels key that is not a map is dead-lettered with the " +
    "reason (Fluent Bit drops it, or the whole chunk).",
    "The JWT audience is the key file's token_uri (Fluent Bit always uses " +
    "https://oauth2.googleapis.com/token).",
    "httpRequest.cacheHit is the record's cacheHit (Fluent Bit writes cacheLookup there).",
  ],
  example: {
    options: {
      metadata_server: "http://127.0.0.1:${TEST_HTTP_PORT}",
      cloud_logging_base_url: "http://127.0.0.1:${TEST_HTTP_PORT}",
      export_to_project_id: "conformance",
    },
  },
  defaults: { workers: 1 },
  create: async (options, ctx) =>
    (await import("./stackdriver.ts")).createStackdriverOutput(options, ctx),
});
