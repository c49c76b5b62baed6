/**
 * The service's running generation across hot reloads: one reload at a time, the reload
 * count (and Fluent Bit's `fluentbit_hot_reloaded_times` gauge), and the wait for the
 * service to end that a reload does not end (the old generation's inputs stopping is not
 * the service ending).
 */
import { errorMessage } from "./error_message.ts";
import type { PipelineConfig } from "./config/resolved.ts";
import type { Pipeline } from "./engine/pipeline.ts";
import { type Generation, type ReloadDeps, reloadGeneration } from "./hot_reload.ts";
import type { ReloadResult } from "./server/reload.ts";

/** Runs the first pipeline, then swaps it on each reload. */
export class Reloader {
  #gen: Generation;
  #deps: ReloadDeps & { onSwap?: (gen: Generation) => void };
  #reloading: Promise<unknown> | undefined;
  #wake = () => {};
  #count = 0;
  /** Set when a reload failed and the previous config could not run again either. */
  fatal = false;

  /** A reloader for `pipeline` of `config`, not started yet. */
  constructor(
    config: PipelineConfig,
    pipeline: Pipeline,
    deps: ReloadDeps & { onSwap?: (gen: Generation) => void },
  ) {
    this.#gen = { config, pipeline, ended: Promise.resolve() };
    this.#deps = deps;
  }

  /** The generation running now. */
  get current(): Generation {
    return this.#gen;
  }

  /** Successful reloads so far. */
  get count(): number {
    return this.#count;
  }

  /** Starts the first pipeline. */
  start(): void {
    this.#gen = { ...this.#gen, ended: this.#gen.pipeline.run() };
  }

  /** Reloads the config now; one at a time. */
  async reload(): Promise<ReloadResult> {
    if (this.#reloading) return { ok: false, message: "a reload is in progress" };
    const running = reloadGeneration(this.#gen, this.#deps);
    this.#reloading = running;
    try {
      const out = await running;
      this.#gen = out.next;
      if (out.ok) this.#count++;
      this.#deps.metrics.gauge("fluentbit_hot_reloaded_times", "Times the config was hot reloaded.")
        .set({}, this.#count);
      if (out.ok) this.#deps.onSwap?.(out.next);
      return { ok: out.ok, message: out.message };
    } catch (e) {
      const message = errorMessage(e);
      this.#deps.log.error(
        `hot reload failed and the previous config cannot run again: ${message}`,
      );
      this.fatal = true;
      return { ok: false, message };
    } finally {
      this.#reloading = undefined;
      this.#wake();
    }
  }

  /**
   * Resolves when every input of the running generation has ended ("ended") or `stop` did
   * ("stop"), past any reload in progress; a fatal reload counts as a stop.
   */
  async untilEnded(stop: Promise<void>): Promise<"ended" | "stop"> {
    while (true) {
      const current = this.#gen;
      const woke = new Promise<"woke">((resolve) => (this.#wake = () => resolve("woke")));
      const r = await Promise.race([
        current.ended.then(() => "ended" as const),
        stop.then(() => "stop" as const),
        woke,
      ]);
      if (this.fatal) return "stop";
      const swapped = this.#reloading !== undefined || current !== this.#gen;
      await this.#reloading;
      if (r === "woke" || (r === "ended" && swapped)) continue;
      return r;
    }
  }
}
