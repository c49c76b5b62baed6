/**
 * The `loki` output: pushes logs to Grafana Loki's JSON push API (Fluent Bit's
 * `out_loki`), with labels, structured metadata, tenants, and per-record outcomes:
 * refused entries are dead-lettered with Loki's reason, the rest is delivered or retried.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { lokiOptions } from "./options.ts";

/** The loki output plugin definition. */
export const plugin = defineOutput({
  name: "loki",
  description: "Loki",
  options: lokiOptions,
  example: { options: { port: "${TEST_HTTP_PORT}", labels: "job=test, $level" } },
  create: async (options, ctx) => (await import("./loki.ts")).createLokiOutput(options, ctx),
});
