/**
 * Builds the processor chain of an input or output: one transform stage per processor,
 * logs first, then metrics, then traces, each taking only its own signal.
 */
import type { ProcessorChains, ProcessorConfig } from "../../config/resolved.ts";
import type { Signal } from "../../event/chunk.ts";
import type { Stage } from "../../plugin.ts";
import { composeStages, transformStage } from "../stages.ts";
import type { BuildSession } from "./session.ts";

/** A built chain and the bytes its holding stages may keep back (`maxHeldBytes`). */
export interface BuiltChain {
  stage: Stage;
  held: number;
}

/** The composed chain of `owner`'s processors and the bytes its holding stages may keep. */
export async function buildProcessors(
  session: BuildSession,
  owner: string,
  chains: ProcessorChains,
): Promise<BuiltChain> {
  const stages: Stage[] = [];
  let held = 0;
  for (const signal of ["logs", "metrics", "traces"] as const) {
    for (const p of chains[signal]) {
      const made = await processorStage(session, { owner, signal, p });
      if (!made) continue;
      stages.push(made.stage);
      held += made.held;
    }
  }
  return { stage: composeStages(stages), held };
}

async function processorStage(
  session: BuildSession,
  { owner, signal, p }: { owner: string; signal: Signal; p: ProcessorConfig },
): Promise<BuiltChain | undefined> {
  const ctx = session.context("processor", p.plugin.name, `${owner}/${p.name}`, p.common.log_level);
  const inst = await session.create(
    p,
    `processor "${p.plugin.name}"`,
    () => p.plugin.create(p.options, ctx),
  );
  if (!inst) return undefined;
  if (inst.close) session.closers.push(() => inst.close!());
  const stage = transformStage(inst, { signals: [signal], log: ctx.log });
  return { stage, held: inst.maxHeldBytes ?? 0 };
}
