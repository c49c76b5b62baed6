/**
 * Shutdown, in order: stop the inputs (they are pulled until they end, up to a timeout),
 * drain the outputs (every output sends what it holds, chunks waiting in filesystem
 * storage are handed over first, and a bound, `grace`, decides when to give up on the
 * rest: memory chunks given up on are counted as dropped, filesystem chunks stay on
 * disk), then close every instance.
 */
import type { BuiltPipeline } from "./built.ts";
import type { OutputRunner } from "./output_runner.ts";
import type { FilesystemStorage } from "./storage/filesystem_storage.ts";
import { settlesWithin } from "./settles_within.ts";

/**
 * Aborts every input's signal and waits for `pumps` (the loops pulling them) to end,
 * at most `timeoutMs`; returns true when they all ended in time.
 */
export async function stopInputs(
  built: Pick<BuiltPipeline, "inputs">,
  pumps: readonly Promise<void>[],
  timeoutMs: number,
): Promise<boolean> {
  for (const i of built.inputs) i.abort.abort();
  return await settlesWithin(Promise.all(pumps), timeoutMs);
}

/**
 * A hot reload, once the inputs are stopped: the runners send what they hold for up to
 * `boundMs` (so inputs commit it before they close). Unlike a drain, nothing is given up on:
 * what is left is handed to the next pipeline.
 */
export async function settleOutputs(runners: readonly OutputRunner[], boundMs: number) {
  for (const r of runners) r.flushNow();
  await settlesWithin(Promise.all(runners.map((r) => r.drain())), boundMs);
}

/**
 * Closes inputs, then output runners, then storage (waiting for its last file operations),
 * then the filters' and processors' closers.
 */
export async function closeBuilt(
  built: BuiltPipeline,
  options: { inputsClosed?: boolean } = {},
): Promise<void> {
  if (!options.inputsClosed) await closeInputs(built);
  await Promise.allSettled(built.outputs.map((o) => o.runner.close()));
  await built.storage?.close();
  await Promise.allSettled(built.closers.map((c) => c()));
}

/** Aborts and closes every input (their sockets and files), once the pumps are done. */
export async function closeInputs(built: Pick<BuiltPipeline, "inputs">): Promise<void> {
  for (const i of built.inputs) i.abort.abort();
  await Promise.allSettled(built.inputs.map((i) => i.instance.close?.()));
}

/** How a drain is bounded. */
export interface DrainOptions {
  /** Seconds; negative waits without limit. */
  grace: number;
  /**
   * `deadline`: at most `grace` seconds in all (a signal asked us to stop).
   * `progress`: as long as it takes, unless nothing settles for `grace` seconds
   * (every input ended by itself: a batch job must not lose its tail).
   */
  mode: "deadline" | "progress";
}

/** Flushes `runners` (and `storage`'s waiting chunks); returns the records given up on. */
export async function drainOutputs(
  runners: readonly OutputRunner[],
  storage: FilesystemStorage | undefined,
  options: DrainOptions,
): Promise<number> {
  for (const r of runners) r.flushNow();
  const drained = (async () => {
    await storage?.whenAllUp();
    storage?.stop();
    await Promise.all(runners.map((r) => r.drain()));
    return true;
  })();
  if (options.grace < 0) {
    await drained;
    return 0;
  }
  const outstanding = () =>
    runners.reduce((n, r) => n + r.outstanding, 0) + (storage?.openRoutes ?? 0);
  const done = options.mode === "deadline"
    ? await settlesWithin(drained, options.grace * 1000)
    : await untilStalled(drained, outstanding, options.grace);
  if (done) return 0;
  storage?.stop();
  return runners.reduce((n, r) => n + r.abandon(), 0);
}

/** Waits for `drained`, or false once `outstanding` has not changed for `grace` seconds. */
async function untilStalled(
  drained: Promise<boolean>,
  outstanding: () => number,
  grace: number,
): Promise<boolean> {
  let last = outstanding();
  let since = Date.now();
  let finished = false;
  drained.then(() => (finished = true));
  while (!finished) {
    let tick: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([drained, new Promise((r) => (tick = setTimeout(r, 100)))]);
    clearTimeout(tick);
    const now = outstanding();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (!finished && Date.now() - since > grace * 1000) return false;
  }
  return true;
}
