/**
 * The prometheus_exporter output: keeps the latest point of every series each input sent
 * (`src/metrics/latest.ts`) and serves them as the Prometheus text exposition on
 * `GET /metrics` while the pipeline runs, as Fluent Bit does: 404 before the first metrics,
 * `Fluent Bit Prometheus Exporter` on `/`. Log and trace chunks are not for it (they are
 * accepted and ignored, as Fluent Bit's output takes only metrics).
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { LatestSeries } from "../../../src/metrics/latest.ts";
import { writePrometheusText } from "../../../src/metrics/prometheus/write.ts";
import { type HttpServer, serveHttp } from "../../../src/net/http_server/mod.ts";
import type { OutputInstance, PluginContext } from "../../../src/plugin.ts";
import type { PrometheusExporterOptions } from "./options.ts";
import { parseAddLabels } from "./labels.ts";

/** A running exporter; `port` is the bound one. */
export interface PrometheusExporter extends OutputInstance {
  /** The port served on. */
  port: number;
  /** Series held. */
  readonly series: number;
}

const CONTENT_TYPE = "text/plain; version=0.0.4";

/** A prometheus_exporter output for parsed `options`; binds at once. */
export function createPrometheusExporter(
  options: PrometheusExporterOptions,
  ctx: PluginContext,
): PrometheusExporter {
  const staticLabels = parseAddLabels(options.add_label ?? []);
  const latest = new LatestSeries();
  const resets = ctx.metrics.counter(
    "sluice_prometheus_exporter_counter_resets_total",
    "Counter series whose new value was below the one held (taken as a reset).",
  );
  let cached: { version: number; body: Uint8Array<ArrayBuffer> } | undefined;
  const encoder = new TextEncoder();
  const body = (): Uint8Array<ArrayBuffer> => {
    if (cached?.version !== latest.version) {
      const text = writePrometheusText(latest.records(), {
        staticLabels,
        timestamps: options.add_timestamp,
      });
      cached = { version: latest.version, body: encoder.encode(text) };
    }
    return cached.body;
  };
  const server: HttpServer = serveHttp((req) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("Method Not Allowed\n", { status: 405, headers: { Allow: "GET, HEAD" } });
    }
    if (req.path === "/metrics") {
      if (latest.version === 0) return new Response(null, { status: 404 });
      return new Response(req.method === "HEAD" ? null : body(), {
        headers: { "Content-Type": CONTENT_TYPE },
      });
    }
    if (req.path === "/") return new Response("Fluent Bit Prometheus Exporter\n");
    return new Response(null, { status: 404 });
  }, {
    hostname: options.host,
    port: options.port,
    headerTimeoutMs: 10_000,
    idleTimeoutMs: 30_000,
    maxConnections: 256,
    log: ctx.log,
  });
  ctx.log.info(`listening iface=${options.host} tcp_port=${server.port}`);
  let closed = false;
  return {
    port: server.port,
    get series() {
      return latest.size;
    },
    write(chunk: Chunk): Promise<void> {
      if (chunk.signal === "metrics" && chunk.records.length > 0) {
        const r = latest.add(chunk.input, chunk.records);
        if (r.resets > 0) {
          resets.inc({ name: ctx.name }, r.resets);
          ctx.log.once(
            "warn",
            "prometheus-exporter-counter-reset",
            `a counter went down, taken as a reset (further ones are counted in ` +
              `sluice_prometheus_exporter_counter_resets_total): ${r.resetSample}`,
          );
        }
      }
      return Promise.resolve();
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await server.close();
    },
  };
}
