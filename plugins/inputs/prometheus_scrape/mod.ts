/**
 * The `prometheus_scrape` input: scrapes a Prometheus target's `/metrics` (text format 0.0.4
 * or OpenMetrics) every interval (Fluent Bit's `in_prometheus_scrape`).
 */
import { defineInput } from "../../../src/plugin.ts";
import { prometheusScrapeOptions } from "./options.ts";

/** The prometheus_scrape input plugin definition. */
export const plugin = defineInput({
  name: "prometheus_scrape",
  description: "Scrape metrics from Prometheus Endpoint",
  options: prometheusScrapeOptions,
  signals: ["metrics"],
  notes: [
    "The first scrape runs at start (Fluent Bit waits one interval)",
    "OpenMetrics is read too (Accept asks for the text format first)",
    "A bad line skips that line only (Fluent Bit drops the whole scrape); it is counted and " +
    "logged once",
  ],
  example: {
    options: { host: "127.0.0.1", port: "${TEST_HTTP_PORT}", scrape_interval: "1s" },
    feed: { kind: "scrapes", records: 2 },
  },
  create: async (options, ctx) =>
    new (await import("./prometheus_scrape.ts")).PrometheusScrapeInput(options, ctx),
});
