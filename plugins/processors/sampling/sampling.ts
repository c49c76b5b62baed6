/** The sampling processor's step: a probabilistic per-chunk step or the tail sampling stage. */
import type { PluginContext, TransformInstance } from "../../../src/plugin.ts";
import { SamplingMetrics } from "./metrics.ts";
import type { SamplingOptions } from "./options.ts";
import { probabilisticStep } from "./probabilistic.ts";
import { TailSampler } from "./sampler.ts";
import { PROBABILISTIC_KEYS, type SamplingSettings } from "./settings.ts";
import { tailStage } from "./tail_stage.ts";

/** The percentage a probabilistic sampler uses, settling the docs' misplaced key. */
function percentageOf(
  settings: SamplingSettings,
  topLevel: number | undefined,
  ctx: PluginContext,
): number {
  if (topLevel === undefined) return settings.samplingPercentage;
  if (settings.given.has("sampling_percentage")) {
    ctx.log.warn(
      "sampling_percentage is set both in and beside sampling_settings; using the one in " +
        `sampling_settings (${settings.samplingPercentage})`,
    );
    return settings.samplingPercentage;
  }
  ctx.log.warn(
    `sampling_percentage ${topLevel} belongs under sampling_settings; using it ` +
      "(Fluent Bit rejects it there as an unknown key)",
  );
  return topLevel;
}

/** The sampling step for parsed `values`. */
export function createSampling(values: SamplingOptions, ctx: PluginContext): TransformInstance {
  const settings = values.sampling_settings;
  const conditions = values.conditions;
  const metrics = new SamplingMetrics(ctx.metrics, ctx.name);
  metrics.flush();
  const hasConditions = conditions.keep.length + conditions.drop.length > 0;
  for (const c of [...conditions.keep, ...conditions.drop]) if (c.never) ctx.log.warn(c.never);
  if (values.type === "probabilistic") {
    if (hasConditions) ctx.log.warn("conditions are ignored by probabilistic sampling");
    const ignored = [...settings.given].filter((k) => !PROBABILISTIC_KEYS.includes(k));
    if (ignored.length) ctx.log.warn(`ignored for probabilistic sampling: ${ignored.join(", ")}`);
    const pct = percentageOf(settings, values.sampling_percentage, ctx);
    return { process: probabilisticStep(pct, metrics) };
  }
  for (const k of PROBABILISTIC_KEYS) {
    if (settings.given.has(k)) ctx.log.warn(`${k} is ignored by tail sampling`);
  }
  if (values.sampling_percentage !== undefined) {
    ctx.log.warn("sampling_percentage is ignored by tail sampling");
  }
  const sampler = new TailSampler({
    settings,
    conditions,
    metrics,
    log: ctx.log,
    debug: values.debug,
  });
  return {
    stage: tailStage(sampler, { clock: ctx.clock }),
    maxHeldBytes: settings.maxBufferedBytes,
  };
}
