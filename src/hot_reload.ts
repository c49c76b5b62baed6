/**
 * Hot reload (`service.hot_reload on`, SIGHUP, `POST /api/v2/reload`): the new config is read
 * and checked completely before anything stops; with any problem the running pipeline goes
 * on untouched and every problem is reported (file:line:col). Otherwise the inputs whose
 * config did not change are detached to run on into the new pipeline (their files and sockets
 * stay open), the others stop, the old outputs get a bounded time (`hot_reload.timeout`, else
 * `grace`) to deliver what they hold so the inputs commit it (tail's offsets), the stopped
 * inputs close (a listener frees its port), the new pipeline is built and started, and what
 * the old outputs could not deliver in time goes, acks held, to the new outputs of the same
 * name (filesystem chunks stay on disk for the new storage to replay). If the new pipeline
 * cannot be built after all (a problem only creating a plugin finds), the old config is built
 * again in its place, with the same running inputs.
 */
import { errorMessage } from "./error_message.ts";
import { ConfigError, formatProblem } from "./config/model.ts";
import type { PipelineConfig } from "./config/resolved.ts";
import type { Logger } from "./engine/log.ts";
import type { MetricsRegistry } from "./engine/metrics.ts";
import type { BuildDeps } from "./engine/build.ts";
import type { CarriedInput } from "./engine/input_source.ts";
import type { Pipeline } from "./engine/pipeline.ts";
import { unchangedInputs } from "./reload_diff.ts";

/** A running pipeline and the config it was built from. */
export interface Generation {
  config: PipelineConfig;
  pipeline: Pipeline;
  /** Resolves when every input of the pipeline has ended. */
  ended: Promise<void>;
}

/** What a reload needs from the service. */
export interface ReloadDeps {
  log: Logger;
  metrics: MetricsRegistry;
  /** Reads and resolves the config again (the same file and command-line overrides). */
  load: () => Promise<PipelineConfig>;
  /**
   * Builds a pipeline for a config (throws ConfigError for problems creating plugins),
   * reusing the running inputs `reuse` gives.
   */
  assemble: (config: PipelineConfig, reuse?: BuildDeps["reuse"]) => Promise<Pipeline>;
}

/** How a reload ended: `next` is the generation now running (the old one when it failed). */
export interface ReloadOutcome {
  ok: boolean;
  message: string;
  next: Generation;
}

function describe(e: unknown): string {
  return e instanceof ConfigError ? e.problems.map(formatProblem).join("; ") : errorMessage(e);
}

/** Milliseconds the old pipeline gets to stop and deliver: `hot_reload.timeout`, else `grace`. */
export function reloadBoundMs(config: PipelineConfig): number {
  const s = config.service;
  const seconds = s["hot_reload.timeout"] > 0 ? s["hot_reload.timeout"] : s.grace;
  return Math.max(1, seconds > 0 ? seconds : 5) * 1000;
}

/**
 * Replaces `old` with a pipeline of the config as it reads now. Throws only when the old
 * config, built again after the new one failed, cannot be built either.
 */
export async function reloadGeneration(old: Generation, deps: ReloadDeps): Promise<ReloadOutcome> {
  const { log } = deps;
  let config: PipelineConfig;
  try {
    config = await deps.load();
  } catch (e) {
    if (e instanceof ConfigError) { for (const p of e.problems) log.error(formatProblem(p)); }
    return { ok: false, message: `the new config was refused: ${describe(e)}`, next: old };
  }
  for (const w of config.warnings ?? []) log.warn(formatProblem(w));
  const bound = reloadBoundMs(old.config);
  // Inputs whose config did not change keep running: no port gap, no file reopened.
  const carried = old.pipeline.detachInputs(unchangedInputs(old.config, config));
  const reuse = (i: { name: string }) =>
    carried.has(i.name) ? old.pipeline.builtInput(i.name) : undefined;
  await old.pipeline.stopInputs(bound);
  await old.pipeline.settle(bound);
  await old.pipeline.closeInputs();
  let next: Generation;
  let failure: string | undefined;
  try {
    next = start(config, await deps.assemble(config, reuse), carried);
  } catch (e) {
    failure = `the new config could not be started: ${describe(e)}`;
    if (e instanceof ConfigError) { for (const p of e.problems) log.error(formatProblem(p)); }
    log.error(`${failure}; starting the previous config again`);
    next = start(old.config, await deps.assemble(old.config, reuse), carried);
  }
  const moved = old.pipeline.handOverTo(next.pipeline);
  await old.pipeline.close();
  if (failure) return { ok: false, message: failure, next };
  log.info(
    `hot reload done: ${carried.size} inputs kept running` +
      (moved > 0 ? `, ${moved} records handed over` : ""),
  );
  return { ok: true, message: "done", next };
}

function start(
  config: PipelineConfig,
  pipeline: Pipeline,
  carried: ReadonlyMap<string, CarriedInput>,
): Generation {
  pipeline.carry(carried);
  return { config, pipeline, ended: pipeline.run() };
}
