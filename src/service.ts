/**
 * The wiring above the engine: runs a validated configuration as a service. It builds
 * the parser and multiline registries and the pipeline, starts the monitoring server,
 * swaps the pipeline on a hot reload (SIGHUP or POST /api/v2/reload, see hot_reload.ts),
 * and stops in order on SIGINT/SIGTERM or when every input has ended. Returns the
 * process exit code. The engine (`src/engine/`) imports neither this nor the server.
 */
import { resolve } from "node:path";
import { errorMessage } from "./error_message.ts";
import type { PipelineConfig } from "./config/resolved.ts";
import { type BuildDeps, buildPipeline } from "./engine/build.ts";
import { Logger } from "./engine/log.ts";
import { MetricsRegistry } from "./engine/metrics.ts";
import { MemoryLimit, type MemoryPause } from "./engine/memory_guard.ts";
import { Pipeline } from "./engine/pipeline.ts";
import { Taps } from "./engine/taps.ts";
import { buildMultilineRegistry } from "./multiline/mod.ts";
import { buildParserRegistry } from "./parsers/mod.ts";
import { Reloader } from "./reloader.ts";
import { RecentLog } from "./server/recent_log.ts";
import { type MonitoringState, startMonitoringServer } from "./server/server.ts";
import { topologyFromConfig } from "./server/topology.ts";
import { VERSION } from "./version.ts";

/** What `runService` needs besides the config. */
export interface ServiceOptions {
  log: Logger;
  /** Install SIGINT/SIGTERM handlers (off in tests that stop through `stop`). */
  handleSignals?: boolean;
  /** Resolves when the caller wants a graceful stop. */
  stop?: Promise<void>;
  metrics?: MetricsRegistry;
  /** Reads and resolves the config again, for hot reload (off without it). */
  load?: () => Promise<PipelineConfig>;
}

/** Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error. */
export const EXIT_OK = 0;
/** A runtime failure. */
export const EXIT_RUNTIME = 1;
/** A usage or configuration error. */
export const EXIT_CONFIG = 2;

/** Builds every component of `config` and closes it again: the deep part of validation. */
export async function checkBuild(config: PipelineConfig, log: Logger): Promise<void> {
  // A dry run changes nothing: from here this process may read, but not write a file, bind
  // or connect a socket, or start a program. A plugin stopped by that is not a problem.
  for (const name of ["write", "net", "run", "ffi"] as const) Deno.permissions.revokeSync({ name });
  const pipeline = await assemblePipeline(config, log, {
    metrics: new MetricsRegistry(),
    dryRun: true,
  });
  await pipeline.close();
}

/**
 * Builds parsers and the pipeline of `config` without running it; `onReject` replaces the
 * dead-letter store (a dead-letter replay watches rejections itself).
 */
export async function assemblePipeline(
  config: PipelineConfig,
  log: Logger,
  options: {
    metrics: MetricsRegistry;
    onReject?: BuildDeps["onReject"];
    dryRun?: boolean;
    reuse?: BuildDeps["reuse"];
    onExit?: BuildDeps["onExit"];
    /** The service's taps, watched at every tap point (`sluice tap`). */
    taps?: Taps;
    /** The service-wide memory limit, pausing every input. */
    memory?: MemoryPause;
  },
): Promise<Pipeline> {
  const { metrics } = options;
  const parsers = buildParserRegistry(config.parsers);
  const multiline = buildMultilineRegistry(config.multilineParsers, {
    parsers,
    bufferLimit: config.service.multiline_buffer_limit,
  });
  const built = await buildPipeline(config, {
    log,
    metrics,
    parsers,
    context: { multiline },
    onReject: options.onReject,
    dryRun: options.dryRun,
    reuse: options.reuse,
    onExit: options.onExit,
    memory: options.memory,
  });
  return new Pipeline(built, { log, metrics, taps: options.taps });
}

/** Runs until stopped or until every input ends; returns the exit code. */
export async function runService(config: PipelineConfig, options: ServiceOptions): Promise<number> {
  const service = config.service;
  // The monitoring server shows the last warnings and errors: every logger tees into it.
  const recent = new RecentLog();
  const log = service.http_server
    ? new Logger({
      level: options.log.level,
      component: options.log.component,
      sink: recent.tee(options.log.sink),
    })
    : options.log;
  const metrics = options.metrics ?? new MetricsRegistry();
  let exitCode: number | undefined;
  let requestExit!: () => void;
  const exitRequested = new Promise<void>((resolve) => (requestExit = resolve));
  const onExit = (code: number | undefined) => {
    exitCode ??= code;
    requestExit();
  };
  const taps = new Taps();
  const memory = new MemoryLimit(log.child("memory_limit"), metrics);
  memory.configure(service);
  const assemble = (c: PipelineConfig, reuse?: BuildDeps["reuse"]) =>
    assemblePipeline(c, log, { metrics, reuse, onExit, taps, memory });
  const first = await assemble(config);
  const load = options.load;
  const hotReload = service.hot_reload && load !== undefined;
  const reloader = new Reloader(config, first, {
    log,
    metrics,
    load: load ?? (() => Promise.resolve(config)),
    assemble,
    onSwap(gen) {
      memory.configure(gen.config.service);
      Object.assign(instances, gen.pipeline.instances);
      state.topology = topologyFromConfig(gen.config);
      // Once this answer is out (the reload may have come through the server itself).
      setTimeout(() => void restartServer(gen.config.service), 0);
    },
  });
  const reload = () => reloader.reload();
  const gen = () => reloader.current;

  const instances = { ...first.instances };
  const state: MonitoringState = {
    metrics,
    startedAt: new Date(),
    version: VERSION,
    hostname: Deno.hostname(),
    instances,
    storage: service["storage.metrics"] ? () => gen().pipeline.storageReport() : undefined,
    reload: hotReload ? reload : undefined,
    reloadCount: () => reloader.count,
    taps,
    topology: topologyFromConfig(config),
    configPath: config.file && !config.file.startsWith("<") ? resolve(config.file) : undefined,
    buffers: () => gen().pipeline.bufferStats(),
    inputReports: () => gen().pipeline.inputReports(),
    recent,
  };
  let server: { close(): Promise<void> } | undefined;
  let serving = serverSettings(service);
  if (serving) {
    try {
      server = await startMonitoringServer(state, { ...serving, log: log.child("http_server") });
    } catch (e) {
      log.error(`cannot start the monitoring server: ${errorMessage(e)}`);
      await first.close();
      return EXIT_RUNTIME;
    }
  }
  /** After a reload: the monitoring server again, when its keys changed (after the answer). */
  async function restartServer(next: PipelineConfig["service"]): Promise<void> {
    const wanted = serverSettings(next);
    if (JSON.stringify(wanted) === JSON.stringify(serving)) return;
    await server?.close();
    server = undefined;
    serving = wanted;
    if (!wanted) return log.info("hot reload: the monitoring server is off");
    try {
      server = await startMonitoringServer(state, { ...wanted, log: log.child("http_server") });
    } catch (e) {
      log.error(`hot reload: cannot start the monitoring server: ${errorMessage(e)}`);
    }
  }

  let signalled = false;
  const stopRequested = new Promise<void>((resolve) => {
    options.stop?.then(resolve);
    if (options.handleSignals) {
      for (const sig of ["SIGINT", "SIGTERM"] as const) {
        Deno.addSignalListener(sig, () => {
          if (signalled) return;
          log.info(`received ${sig}`);
          resolve();
        });
      }
      Deno.addSignalListener("SIGHUP", () => {
        if (signalled) return;
        if (!hotReload) return log.warn("received SIGHUP: ignored, hot_reload is off");
        log.info("received SIGHUP: hot reload");
        void reload().then((r) => r.ok || log.error(`hot reload failed: ${r.message}`));
      });
    }
  });

  if (service.hot_reload && !load) log.warn("hot_reload needs a config file: it is off");
  log.info(`sluice ${VERSION} started`);
  reloader.start();
  const why = await reloader.untilEnded(Promise.race([stopRequested, exitRequested]));
  signalled = true;
  const { pipeline, config: last } = reloader.current;
  const grace = last.service.grace;
  if (why === "stop") {
    log.info(
      grace < 0
        ? "service will shutdown when all remaining tasks are flushed"
        : `service will shutdown in max ${grace} seconds`,
    );
    await pipeline.stopInputs(Math.max(1000, grace * 1000));
  } else {
    log.debug("every input has ended; draining");
  }
  const lost = await pipeline.drain({ grace, mode: why === "stop" ? "deadline" : "progress" });
  await pipeline.close();
  memory.close();
  await server?.close();
  // Dropped: given up on after retries with no dead-letter store, or left at the deadline.
  const dropped = sumOf(metrics, "fluentbit_output_dropped_records_total");
  if (dropped > 0) {
    log.error(`stopped; ${dropped} records were dropped (${lost} left undelivered at shutdown)`);
    return EXIT_RUNTIME;
  }
  const kept = pipeline.storage?.stats.totals().chunks ?? 0;
  log.info(
    kept > 0
      ? `stopped; ${kept} chunks stay in ${pipeline.storage!.path} for the next start`
      : "stopped; all records delivered",
  );
  if (exitCode !== undefined) return exitCode;
  return pipeline.failed || reloader.fatal ? EXIT_RUNTIME : EXIT_OK;
}

/** The monitoring server's settings from the service keys; undefined when it is off. */
function serverSettings(s: PipelineConfig["service"]) {
  if (!s.http_server) return undefined;
  return {
    listen: s.http_listen,
    port: s.http_port,
    healthCheck: s.health_check,
    hcErrorsCount: s.hc_errors_count,
    hcRetryFailureCount: s.hc_retry_failure_count,
    hcPeriod: s.hc_period,
    token: s["http_server.token"],
  };
}

function sumOf(metrics: MetricsRegistry, family: string): number {
  let n = 0;
  for (const s of metrics.families.get(family)?.series.values() ?? []) n += s.value;
  return n;
}
