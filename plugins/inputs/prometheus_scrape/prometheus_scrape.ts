/**
 * The prometheus_scrape input: scrapes a target every `scrape_interval` (the first at once)
 * and yields its metrics, split into chunks of about 2 MB. A failed scrape is logged (once
 * per failing streak, as a warning) and counted, and the next one is tried at its time; bad
 * lines of a scrape are skipped, counted and logged once with a sample.
 */
import { type Chunk, CHUNK_MAX_BYTES, type MetricChunk } from "../../../src/event/chunk.ts";
import { splitMetrics } from "../../../src/metrics/chunking.ts";
import { createHttpClient, type HttpClient } from "../../../src/net/http_client/mod.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import type { PrometheusScrapeOptions } from "./options.ts";
import { scrapeOnce } from "./scrape.ts";

/** Sleeps `ms`; resolves early when `signal` aborts. */
function pause(ctx: InputContext, ms: number): Promise<void> {
  return ctx.clock.sleep(Math.max(0, ms), ctx.signal).catch(() => {});
}

/** The wall clock in ns since the epoch. */
function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** A running prometheus_scrape input. */
export class PrometheusScrapeInput implements InputInstance {
  readonly chunks: AsyncIterable<Chunk>;
  readonly client: HttpClient;
  #options: PrometheusScrapeOptions;
  #ctx: InputContext;

  constructor(options: PrometheusScrapeOptions, ctx: InputContext) {
    this.#options = options;
    this.#ctx = ctx;
    this.client = createHttpClient(options, ctx, { bearerToken: options.bearer_token });
    this.chunks = this.#main();
  }

  /** Closes the client's connections. */
  close(): Promise<void> {
    this.client.close();
    return Promise.resolve();
  }

  async *#main(): AsyncGenerator<Chunk> {
    const o = this.#options;
    const ctx = this.#ctx;
    const labels = { name: ctx.name };
    const scrapes = ctx.metrics.counter(
      "sluice_prometheus_scrape_scrapes_total",
      "Scrapes of the prometheus_scrape target, by outcome.",
    );
    const badLines = ctx.metrics.counter(
      "sluice_prometheus_scrape_bad_lines_total",
      "Lines of scraped expositions that could not be read and were skipped.",
    );
    const duplicates = ctx.metrics.counter(
      "sluice_prometheus_scrape_duplicate_samples_total",
      "Samples dropped because a scrape gave their series twice.",
    );
    const intervalMs = Math.max(1, o.scrape_interval * 1000);
    const path = o.metrics_path.startsWith("/") ? o.metrics_path : "/" + o.metrics_path;
    let failing = false;
    while (!ctx.signal.aborted) {
      const started = ctx.clock.now();
      await ctx.whenResumed();
      const r = await scrapeOnce(this.client, { path, maxBytes: o.buffer_max_size, nowNs });
      if (!r.ok) {
        scrapes.inc({ ...labels, result: r.reason });
        if (!failing) ctx.log.warn(`${r.message} (logged again when scrapes recover and fail)`);
        else ctx.log.debug(r.message);
        failing = true;
      } else {
        scrapes.inc({ ...labels, result: "ok" });
        if (failing) ctx.log.info(`scrapes of ${this.client.target}${path} recovered`);
        failing = false;
        const p = r.parsed;
        if (p.problems.length > 0) {
          badLines.inc(labels, p.problems.length);
          const first = p.problems[0]!;
          ctx.log.once(
            "warn",
            "prometheus-scrape-bad-line",
            `skipped ${p.problems.length} unreadable line(s) of ${path} (further ones are ` +
              `counted in sluice_prometheus_scrape_bad_lines_total); line ${first.line}: ` +
              `${first.reason}: ${JSON.stringify(first.text)}`,
          );
        }
        if (p.duplicates > 0) {
          duplicates.inc(labels, p.duplicates);
          ctx.log.once(
            "warn",
            "prometheus-scrape-duplicates",
            `${path} gave ${p.duplicates} series twice: the first sample of each was kept`,
          );
        }
        const perPoint = r.bytes / Math.max(1, p.samples);
        for (
          const batch of splitMetrics(p.metrics, {
            maxBytes: CHUNK_MAX_BYTES,
            bytesPerPoint: perPoint,
          })
        ) {
          yield ctx.signalChunk<MetricChunk>("metrics", batch.records, { bytes: batch.bytes });
        }
      }
      if (ctx.signal.aborted) break;
      const elapsed = ctx.clock.now() - started;
      await pause(ctx, intervalMs - (elapsed % intervalMs));
    }
  }
}
