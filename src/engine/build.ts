/**
 * Creates every plugin instance of a validated config: storage first, then outputs with
 * their runners (`build/outputs.ts`), filters as stages (`build/filters.ts`), and inputs
 * with their contexts (`build/inputs.ts`). A plugin that refuses its options is reported
 * as a config problem at its section (`build/session.ts`); every problem is reported at
 * once, after whatever was created is closed again.
 */
import type { PipelineConfig } from "../config/resolved.ts";
import { ConfigError } from "../config/model.ts";
import type { BuiltPipeline } from "./built.ts";
import { buildFilters } from "./build/filters.ts";
import { buildInputs } from "./build/inputs.ts";
import { buildOutputs } from "./build/outputs.ts";
import { type BuildDeps, buildSession } from "./build/session.ts";
import { setupStorage } from "./storage/setup.ts";

export type { BuildDeps };
export { DEFAULT_MEM_BUF_LIMIT } from "./build/inputs.ts";

/** Creates every instance; throws ConfigError listing every plugin that refused its options. */
export async function buildPipeline(
  config: PipelineConfig,
  deps: BuildDeps,
): Promise<BuiltPipeline> {
  const session = buildSession(config, deps);
  const { problems } = session;
  const { storage, deadLetters } = setupStorage(config, { ...deps, problems });
  const outputs = await buildOutputs(session, { storage, deadLetters });
  const filters = await buildFilters(session);
  const inputs = await buildInputs(session);
  const closers = [...session.closers, () => Promise.resolve(session.stopAll.abort())];
  const built: BuiltPipeline = { inputs, filters, outputs, closers, storage, deadLetters };
  if (problems.length > 0) {
    const created = inputs.filter((i) => !config.inputs.some((c) => deps.reuse?.(c) === i));
    await Promise.allSettled(created.map((i) => i.instance.close?.()));
    await Promise.allSettled(outputs.map((o) => o.runner.close()));
    throw new ConfigError(problems);
  }
  return built;
}
