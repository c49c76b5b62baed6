/**
 * The service-wide soft memory limit at work. Memory is V8's heap in use plus its external
 * memory (the ArrayBuffers behind read buffers and encoded batches): what sluice's records
 * occupy. RSS is not used: it also counts the runtime's code pages (about 40 MB of the deno
 * binary, shared with every deno process), and it does not fall when records are freed,
 * since V8 and the allocator keep freed pages, so an input paused on RSS might never resume.
 *
 * Memory is measured as chunks enter the pipeline (at most every 100 ms), never on a timer
 * while nothing happens. Over the limit, a garbage collection runs first (at most once per
 * check interval, as the Collector's memory_limiter does over its hard limit); still over,
 * every input pauses (the engine stops pulling, HTTP inputs answer 503 with Retry-After), a
 * warning is logged and the episode counted. While paused, memory is checked every
 * check interval (collecting garbage when still above); below the resume mark (90% of the
 * limit unless set) the inputs resume.
 */
import type { ServiceValues } from "../config/common_options.ts";
import { hostMemoryBytes, memoryBytes } from "../config/memory_size.ts";
import type { Logger } from "./log.ts";
import type { Metric, MetricsRegistry } from "./metrics.ts";

/** What the guard needs to know of the limit. */
export interface MemoryGuardSettings {
  /** Pause above this many bytes (0: no limit). */
  limit: number;
  /** Resume below this many bytes. */
  resume: number;
  /** How often memory is checked while paused, and the least time between forced GCs (ms). */
  checkMs: number;
}

/**
 * The guard's settings from the service keys; undefined without `sluice.memory_limit`. A
 * percentage limit is of the host's memory, a percentage resume mark of the limit.
 */
export function memoryGuardSettings(service: ServiceValues): MemoryGuardSettings | undefined {
  const size = service["sluice.memory_limit"];
  if (size === undefined) return undefined;
  const limit = memoryBytes(size, "percent" in size ? hostMemoryBytes() : 0);
  const mark = service["sluice.memory_limit.resume"] ?? { percent: 90 };
  const resume = Math.min(memoryBytes(mark, limit), limit);
  const checkMs = Math.max(10, service["sluice.memory_limit.check_interval"] * 1000);
  return { limit, resume, checkMs };
}

/** What an input's buffer limit asks of the guard. */
export interface MemoryPause {
  /** True while over the limit. */
  readonly paused: boolean;
  /** A chunk entered the pipeline: measure, when the last measure is old enough. */
  observe(): void;
  /** Resolves once memory is below the resume mark (at once when not paused). */
  whenResumed(): Promise<void>;
}

/** Bytes of memory in use, as the guard measures it. */
export type MemoryMeter = () => number;

/** V8's heap in use plus its external memory. */
export const v8Memory: MemoryMeter = () => {
  const m = Deno.memoryUsage();
  return m.heapUsed + m.external;
};

const OBSERVE_EVERY_MS = 100;

/** One process's soft memory limit. */
export class MemoryGuard implements MemoryPause {
  #s: MemoryGuardSettings;
  #log: Logger;
  #meter: MemoryMeter;
  #paused = false;
  #lastObserve = -Infinity;
  #lastGc = -Infinity;
  #since = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #waiters: (() => void)[] = [];
  #pauses: Metric;
  #pausedGauge: Metric;
  #gc?: Promise<(() => void) | undefined>;

  constructor(
    settings: MemoryGuardSettings,
    deps: { log: Logger; metrics: MetricsRegistry; meter?: MemoryMeter },
  ) {
    this.#s = settings;
    this.#log = deps.log;
    this.#meter = deps.meter ?? v8Memory;
    this.#pauses = deps.metrics.counter(
      "sluice_memory_limit_pauses_total",
      "Times every input was paused because memory went over sluice.memory_limit.",
    );
    this.#pausedGauge = deps.metrics.gauge(
      "sluice_memory_limit_paused",
      "Are the inputs paused by sluice.memory_limit (1) or not (0).",
    );
    const used = deps.metrics.gauge(
      "sluice_memory_used_bytes",
      "V8 heap in use plus external memory, as sluice.memory_limit measures it.",
    );
    const limit = deps.metrics.gauge("sluice_memory_limit_bytes", "sluice.memory_limit in bytes.");
    this.#pauses.touch({});
    this.#pausedGauge.set({}, 0);
    deps.metrics.onRead(() => {
      used.set({}, this.#meter());
      limit.set({}, this.#s.limit);
    });
  }

  /** True while over the limit. */
  get paused(): boolean {
    return this.#paused;
  }

  /** New settings (a reload); a pause ends at once when there is no limit any more. */
  configure(settings: MemoryGuardSettings): void {
    this.#s = settings;
    if (this.#paused && settings.limit <= 0) this.#resume(this.#meter());
  }

  /** A chunk entered the pipeline: measures memory every 100 ms at most. */
  observe(): void {
    if (this.#s.limit <= 0 || this.#paused) return;
    const now = performance.now();
    if (now - this.#lastObserve < OBSERVE_EVERY_MS) return;
    this.#lastObserve = now;
    if (this.#meter() < this.#s.limit) return;
    void this.#overLimit();
  }

  /** Resolves once the inputs may go on. */
  whenResumed(): Promise<void> {
    if (!this.#paused) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Stops checking and lets every waiter go. Safe to call twice. */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#paused) this.#resume(this.#meter(), true);
  }

  async #overLimit(): Promise<void> {
    const used = await this.#collectIfDue(this.#meter());
    if (used < this.#s.limit || this.#paused) return;
    this.#paused = true;
    this.#since = performance.now();
    this.#pauses.inc({});
    this.#pausedGauge.set({}, 1);
    this.#log.warn(
      `memory ${mb(used)} over sluice.memory_limit ${mb(this.#s.limit)} (V8 heap + external): ` +
        `inputs paused until below ${mb(this.#s.resume)}`,
    );
    this.#schedule();
  }

  #schedule(): void {
    this.#timer = setTimeout(() => void this.#check(), this.#s.checkMs);
  }

  async #check(): Promise<void> {
    this.#timer = undefined;
    if (!this.#paused) return;
    const used = await this.#collectIfDue(this.#meter(), this.#s.resume);
    if (used < this.#s.resume || this.#s.limit <= 0) this.#resume(used);
    else this.#schedule();
  }

  #resume(used: number, quiet = false): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#paused = false;
    this.#pausedGauge.set({}, 0);
    const seconds = ((performance.now() - this.#since) / 1000).toFixed(1);
    if (!quiet) {
      this.#log.info(`memory ${mb(used)}: inputs resumed after ${seconds} s over the limit`);
    }
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Collects garbage when `used` is at or over `mark` and none ran within the interval. */
  async #collectIfDue(used: number, mark = this.#s.limit): Promise<number> {
    const now = performance.now();
    if (used < mark || now - this.#lastGc < this.#s.checkMs) return used;
    this.#lastGc = now;
    const gc = await (this.#gc ??= loadGc(this.#log));
    if (!gc) return used;
    gc();
    return this.#meter();
  }
}

/**
 * V8's `gc()`, exposed at run time through node:v8 and node:vm (loaded only now, the first
 * time memory is over the limit); undefined when the runtime refuses.
 */
async function loadGc(log: Logger): Promise<(() => void) | undefined> {
  try {
    const v8 = (await import("node:v8")).default;
    const vm = (await import("node:vm")).default;
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc");
    return typeof gc === "function" ? gc as () => void : undefined;
  } catch (e) {
    log.debug(`cannot force a garbage collection: ${String(e)}`);
    return undefined;
  }
}

/**
 * The service's memory limit across reloads: the guard once a config sets
 * `sluice.memory_limit` (none before, so no gauges appear without it), told of each new
 * config. Inputs hold this, not the guard, so a reload that adds the limit reaches them.
 */
export class MemoryLimit implements MemoryPause {
  #guard: MemoryGuard | undefined;
  #log: Logger;
  #metrics: MetricsRegistry;

  constructor(log: Logger, metrics: MetricsRegistry) {
    this.#log = log;
    this.#metrics = metrics;
  }

  /** Applies the service keys of a (new) config. */
  configure(service: ServiceValues): void {
    const settings = memoryGuardSettings(service);
    if (settings && !this.#guard) {
      this.#guard = new MemoryGuard(settings, { log: this.#log, metrics: this.#metrics });
    } else this.#guard?.configure(settings ?? { limit: 0, resume: 0, checkMs: 1000 });
  }

  /** True while over the limit. */
  get paused(): boolean {
    return this.#guard?.paused === true;
  }

  /** A chunk entered the pipeline. */
  observe(): void {
    this.#guard?.observe();
  }

  /** Resolves once the inputs may go on. */
  whenResumed(): Promise<void> {
    return this.#guard?.whenResumed() ?? Promise.resolve();
  }

  /** Stops the guard's checks. */
  close(): void {
    this.#guard?.close();
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}
