/**
 * The `es` output: writes log records to Elasticsearch through the `_bulk` API, as Fluent
 * Bit's `out_es` does (same keys, defaults and documents), judging the answer item by item.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { esOptions } from "./options.ts";

/** How the es and opensearch outputs do better than Fluent Bit's, for `sluice plugins NAME`. */
export const ES_NOTES: readonly string[] = [
  "Each item of a bulk answer is judged: only the items that failed with 408, 429 or 5xx are " +
  "retried, the ones refused (a mapping error) go to the dead-letter store with the reason " +
  "the server gave; Fluent Bit counts a reply in which any item succeeded as full success " +
  "and loses the others, or retries the whole request when none did.",
  "409 on create (the document already exists) counts as delivered, so generate_id retries " +
  "cannot loop forever.",
  "A wrong password or API key (401/403) and a refused request (400, 404, 413) are permanent " +
  "errors with the server's reason, not retried forever; 429 honours Retry-After.",
  "A record that cannot be updated (no id_key value) is dead-lettered with the reason " +
  "instead of skipped.",
  "index is strftime-expanded with generate_id and id_key too (Fluent Bit then writes it " +
  "unexpanded); index names and ids are JSON-escaped.",
  "Bulk requests ask for filter_path=errors,items.*.status,items.*.error and the whole " +
  "answer is read (buffer_size is accepted): Fluent Bit cuts answers at buffer_size (512k, " +
  "reached by a few thousand failed items) and then retries the whole request.",
  "cloud_id turns TLS on by itself.",
];

/** The es output plugin definition. */
export const plugin = defineOutput({
  name: "es",
  description: "Elasticsearch",
  options: esOptions,
  notes: ES_NOTES,
  example: { options: { port: "${TEST_HTTP_PORT}" } },
  defaults: { workers: 2 },
  create: async (options, ctx) => (await import("./es.ts")).createEsOutput(options, ctx),
});
