/**
 * The prometheus_scrape input's option table: the HTTP client's connection, TLS, auth and
 * `net.*` keys (`src/net/http_client`) and Fluent Bit's `in_prometheus_scrape` keys.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { httpClientOptions } from "../../../src/net/http_client/mod.ts";

const { compress: _compress, uri: _uri, ...clientOptions } = httpClientOptions;

/** Every key of Fluent Bit's prometheus_scrape input (besides the common input keys). */
export const prometheusScrapeOptions = {
  ...clientOptions,
  host: opt.string("localhost", "Host of the target"),
  port: opt.int(9100, "Port of the target", {
    check: (v) => v > 0 && v <= 65535 ? undefined : `expected a port 1-65535, got ${v}`,
  }),
  metrics_path: opt.string("/metrics", "Path of the target's metrics"),
  scrape_interval: opt.duration(10, "Time between scrapes"),
  buffer_max_size: opt.size(10_000_000, "Largest response body; a larger one fails the scrape"),
  bearer_token: opt.string(undefined, "Send `Authorization: Bearer <token>` (http_user wins)"),
} satisfies OptionTable;

/** Parsed prometheus_scrape options. */
export type PrometheusScrapeOptions = OptionValues<typeof prometheusScrapeOptions>;
