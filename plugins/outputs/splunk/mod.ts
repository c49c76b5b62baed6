/**
 * The `splunk` output: sends logs to Splunk's HTTP Event Collector (Fluent Bit's
 * `out_splunk`), with HEC's metadata keys, indexed fields, raw mode and token auth;
 * an event HEC refuses is dead-lettered with HEC's reason, the rest delivered or retried.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { splunkOptions } from "./options.ts";

/** The splunk output plugin definition. */
export const plugin = defineOutput({
  name: "splunk",
  description: "Send events to Splunk HTTP Event Collector",
  options: splunkOptions,
  example: { options: { port: "${TEST_HTTP_PORT}", splunk_token: "token" } },
  defaults: { workers: 2 },
  create: async (options, ctx) => (await import("./splunk.ts")).createSplunkOutput(options, ctx),
});
