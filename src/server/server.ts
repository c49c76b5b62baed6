/**
 * The monitoring HTTP server (`service.http_server`): Fluent Bit's endpoints with Fluent Bit's
 * bodies and metric names, served by sluice's bounded HTTP ingress (`src/net/http_server`).
 */

import type { Logger } from "../engine/log.ts";
import type { MetricsRegistry } from "../engine/metrics.ts";
import { buildInfo } from "./build_info.ts";
import { healthReport, HealthWindow, outputCounts } from "./health.ts";
import { ReloadEndpoint, type ReloadResult } from "./reload.ts";
import {
  jsonResponse,
  methodNotAllowed,
  notFound,
  PROMETHEUS_CONTENT_TYPE,
  textResponse,
} from "./responses.ts";
import { TapEndpoint } from "./tap.ts";
import type { Taps } from "../engine/taps.ts";
import { uptimeBody } from "./uptime.ts";
import { checkToken } from "./auth.ts";
import { pipelineBody } from "./pipeline_view.ts";
import type { RecentLog } from "./recent_log.ts";
import { STATUS_PAGE, wantsHtml } from "./status_page.ts";
import type { Topology } from "./topology.ts";
import type { InputBufferStats } from "../engine/storage/storage_report.ts";
import type { InputReport } from "../plugin.ts";
import { type HttpRequest, type HttpServer, serveHttp } from "../net/http_server/mod.ts";
import { type Instances, v1Metrics, v1Prometheus } from "./v1_metrics.ts";
import { type ProcessInfo, v2Prometheus, v2Text } from "./v2_metrics.ts";

/** What the server reports on; the engine owns it and may update its fields (after a reload). */
export interface MonitoringState {
  /** The registry the engine increments, with Fluent Bit-named families. */
  metrics: MetricsRegistry;
  startedAt: Date;
  /** sluice's version. */
  version: string;
  hostname: string;
  /** Instance names (the `name` label) per kind. */
  instances: Instances;
  /** The `/api/v1/storage` body; absent when `storage.metrics` is off. */
  storage?: () => Record<string, unknown>;
  /** Runs a hot reload; absent when hot reload is disabled. */
  reload?: () => Promise<ReloadResult>;
  reloadCount?: () => number;
  /** The pipeline's tap points, for `/api/v2/tap` (`sluice tap`). */
  taps?: Taps;
  /** The graph of the pipeline; without it the instances are shown unconnected. */
  topology?: Topology;
  /** The config file the pipeline was loaded from. */
  configPath?: string;
  /** Every input's buffer and paused state. */
  buffers?: () => InputBufferStats[];
  /** Every input's own report (tail files and their lag). */
  inputReports?: () => Map<string, InputReport>;
  /** The last warnings and errors logged. */
  recent?: RecentLog;
}

/** Server settings, from the service keys `http_listen`, `http_port`, `health_check`, `hc_*`. */
export interface MonitoringOptions {
  listen: string;
  port: number;
  healthCheck: boolean;
  hcErrorsCount: number;
  hcRetryFailureCount: number;
  /** Health window, in seconds. */
  hcPeriod: number;
  /**
   * When set, requests that change something (POST, PUT, DELETE: reload) must carry
   * `Authorization: Bearer <token>`, or are answered 401.
   */
  token?: string;
  /** Logger; the server logs as its `http_server` child. */
  log: Logger;
  /** Clock in epoch milliseconds, for tests; defaults to `Date.now`. */
  now?: () => number;
}

/** A running monitoring server. */
export interface MonitoringServer {
  /** The bound port (the real one when asked for port 0). */
  port: number;
  /** Stops listening and waits for requests in flight; safe to call twice. */
  close(): Promise<void>;
}

type Handler = (req: HttpRequest) => Response | Promise<Response>;

/** Bounds of the monitoring listener: it reads no bodies, and scrapers are few. */
const LIMITS = { headerTimeoutMs: 10_000, idleTimeoutMs: 10_000, maxConnections: 256 };

/**
 * Starts the monitoring server; rejects with an Error naming `listen:port` when it cannot bind.
 *
 * @example
 * ```ts
 * import { Logger, memorySink } from "../engine/log.ts";
 * import { MetricsRegistry } from "../engine/metrics.ts";
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const state = {
 *   metrics: new MetricsRegistry(),
 *   startedAt: new Date(),
 *   version: "0.1.0",
 *   hostname: "localhost",
 *   instances: { inputs: ["dummy.0"], filters: [], outputs: ["stdout.0"] },
 * };
 * const server = await startMonitoringServer(state, {
 *   listen: "127.0.0.1",
 *   port: 0, // any free port; server.port tells which
 *   healthCheck: true,
 *   hcErrorsCount: 5,
 *   hcRetryFailureCount: 5,
 *   hcPeriod: 60,
 *   log: new Logger({ sink: memorySink() }),
 * });
 * const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/health`);
 * assertEquals([res.status, await res.text()], [200, "ok\n"]);
 * await server.close();
 * ```
 */
export function startMonitoringServer(
  state: MonitoringState,
  options: MonitoringOptions,
): Promise<MonitoringServer> {
  const now = options.now ?? Date.now;
  const log = options.log.child("http_server");
  const health = new HealthWindow(options.hcPeriod);
  const reload = new ReloadEndpoint({
    get reload() {
      return state.reload;
    },
    get reloadCount() {
      return state.reloadCount;
    },
  }, log);
  const tap = new TapEndpoint(() => state.taps);
  const routes = buildRoutes(state, options, { now, health, reload });
  routes.set("/api/v2/tap", (req) => tap.handle(req));

  const handler = async (req: HttpRequest): Promise<Response> => {
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, "") : req.path;
    const route = routes.get(path);
    if (!route) return notFound(req.path);
    // A tap shows the records themselves: it needs the token like a write does.
    const denied = checkToken(req, options.token, { always: path === "/api/v2/tap" });
    if (denied) return denied;
    try {
      return await route(req);
    } catch (err) {
      log.error(`request failed: ${err instanceof Error ? err.message : err}`);
      return jsonResponse({ status: "error", message: "Internal server error" }, 500);
    }
  };

  let server: HttpServer;
  try {
    server = serveHttp(handler, { hostname: options.listen, port: options.port, ...LIMITS, log });
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return Promise.reject(
      new Error(
        `Cannot start the HTTP server on "${options.listen}:${options.port}": ${detail}`,
        { cause: err },
      ),
    );
  }
  const port = server.port;
  log.info(`listen iface=${options.listen} tcp_port=${port}`);

  // Sample the health counters once a step, so the window stays right between checks.
  let timer: ReturnType<typeof setInterval> | undefined;
  if (options.healthCheck) {
    health.observe(now(), outputCounts(state.metrics));
    const tick = () => health.observe(now(), outputCounts(state.metrics));
    timer = setInterval(tick, health.stepMs);
    Deno.unrefTimer(timer);
  }

  let closing: Promise<void> | undefined;
  return Promise.resolve({
    port,
    close(): Promise<void> {
      closing ??= (async () => {
        if (timer !== undefined) clearInterval(timer);
        reload.close();
        tap.close();
        await server.close();
      })();
      return closing;
    },
  });
}

interface Parts {
  now: () => number;
  health: HealthWindow;
  reload: ReloadEndpoint;
}

/** Accepts GET (and HEAD) only, as every endpoint but reload does. */
function get(fn: (req: HttpRequest) => Response): Handler {
  return (req) => {
    if (req.method === "GET" || req.method === "HEAD") return fn(req);
    return methodNotAllowed(req.method, ["GET", "HEAD"]);
  };
}

function buildRoutes(
  state: MonitoringState,
  options: MonitoringOptions,
  parts: Parts,
): Map<string, Handler> {
  const { now, health, reload } = parts;
  const processInfo = (): ProcessInfo => ({
    startedAt: state.startedAt,
    hostname: state.hostname,
    version: state.version,
    reloadCount: state.reloadCount?.() ?? 0,
  });
  const report = () => {
    const limits = {
      errorLimit: options.hcErrorsCount,
      retryFailureLimit: options.hcRetryFailureCount,
      periodSeconds: options.hcPeriod,
    };
    // Without health_check nothing is sampled, and Fluent Bit reports healthy with zero counts.
    const counts = options.healthCheck
      ? health.counts(now(), outputCounts(state.metrics))
      : { errors: 0, retriesFailed: 0 };
    return healthReport(counts, limits);
  };

  const routes = new Map<string, Handler>([
    [
      "/",
      // Fluent Bit's JSON for scripts; the status page for a browser.
      get((req) =>
        wantsHtml(req)
          ? textResponse(STATUS_PAGE, 200, "text/html; charset=utf-8")
          : jsonResponse(buildInfo(state.version))
      ),
    ],
    [
      "/api/v2/pipeline",
      get(() =>
        jsonResponse(pipelineBody({
          metrics: state.metrics,
          topology: state.topology ?? unconnected(state.instances),
          version: state.version,
          hostname: state.hostname,
          startedAt: state.startedAt,
          configPath: state.configPath,
          health: report(),
          buffers: state.buffers?.(),
          reports: state.inputReports?.(),
          recent: state.recent?.entries(),
          nowMs: now(),
        }))
      ),
    ],
    ["/api/v1/uptime", get(() => jsonResponse(uptimeBody(state.startedAt, now())))],
    ["/api/v1/metrics", get(() => jsonResponse(v1Metrics(state.metrics, state.instances)))],
    [
      "/api/v1/metrics/prometheus",
      get(() => {
        const body = v1Metrics(state.metrics, state.instances);
        const text = v1Prometheus(body, { nowMs: now(), startedAt: state.startedAt });
        return textResponse(text, 200, PROMETHEUS_CONTENT_TYPE);
      }),
    ],
    [
      "/api/v2/metrics/prometheus",
      get(() => {
        const text = v2Prometheus(state.metrics, processInfo(), { nowMs: now() });
        return textResponse(text, 200, PROMETHEUS_CONTENT_TYPE);
      }),
    ],
    [
      "/api/v2/metrics",
      get(() => textResponse(v2Text(state.metrics, processInfo(), { nowMs: now() }))),
    ],
    [
      "/api/v2/health",
      get(() => {
        const r = report();
        return jsonResponse(r, r.status === "ok" ? 200 : 500);
      }),
    ],
    [
      "/api/v1/storage",
      get(() => {
        if (!state.storage) {
          return jsonResponse({
            status: "error",
            message: "Storage metrics are disabled: set storage.metrics to on",
          }, 404);
        }
        return jsonResponse(state.storage());
      }),
    ],
    ["/api/v2/reload", (req) => reload.handle(req)],
  ]);
  // Fluent Bit registers /api/v1/health only with health_check on.
  if (options.healthCheck) {
    routes.set(
      "/api/v1/health",
      get(() => {
        const ok = report().status === "ok";
        return textResponse(ok ? "ok\n" : "error\n", ok ? 200 : 500);
      }),
    );
  }
  return routes;
}

/** The instances without edges, when no graph was given. */
function unconnected(instances: MonitoringState["instances"]): Topology {
  const node = (kind: "input" | "filter" | "output") => (name: string) => ({
    name,
    plugin: name.replace(/\.\d+$/, ""),
    kind,
    tag: "",
    processors: [],
  });
  return {
    inputs: instances.inputs.map(node("input")),
    filters: instances.filters.map(node("filter")),
    outputs: instances.outputs.map(node("output")),
    edges: [],
  };
}
