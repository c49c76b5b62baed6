/**
 * The cpu input: every interval, the CPU usage since the last one, of the whole system and of
 * each CPU (`/proc/stat`), or of one process (`pid`), as Fluent Bit's `in_cpu` records it.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { logRecord } from "../../../src/event/log_record.ts";
import { intervalMs, ticks } from "../../../src/host/interval.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import type { CpuOptions } from "./options.ts";
import {
  parsePidStat,
  parseProcStat,
  pidRecord,
  systemRecord,
  type SystemSnapshot,
} from "./cpu_stat.ts";

/** A running cpu input. */
export class CpuInput implements InputInstance {
  readonly chunks: AsyncIterable<Chunk>;
  readonly #ctx: InputContext;
  readonly #options: CpuOptions;
  readonly #procfs: string;

  constructor(options: CpuOptions, ctx: InputContext, procfs = "/proc") {
    this.#ctx = ctx;
    this.#options = options;
    this.#procfs = procfs;
    this.chunks = this.#main();
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  #read(path: string): string | undefined {
    try {
      return Deno.readTextFileSync(path);
    } catch (e) {
      this.#ctx.log.once(
        "error",
        `cpu-read-${path}`,
        `cannot read ${path}: ${(e as Error).message}`,
      );
      return undefined;
    }
  }

  #system(): SystemSnapshot | undefined {
    const text = this.#read(`${this.#procfs}/stat`);
    const s = text === undefined ? undefined : parseProcStat(text);
    if (text !== undefined && !s) {
      this.#ctx.log.once("warn", "cpu-parse", `${this.#procfs}/stat has no usable cpu line`);
    }
    return s;
  }

  #pid(): { user: number; system: number } | undefined {
    const path = `${this.#procfs}/${this.#options.pid}/stat`;
    const text = this.#read(path);
    return text === undefined ? undefined : parsePidStat(text);
  }

  async *#main(): AsyncGenerator<Chunk> {
    const { clock, signal } = this.#ctx;
    const ms = intervalMs(this.#options.interval_sec, this.#options.interval_nsec);
    const seconds = ms / 1000;
    const pidMode = this.#options.pid > 0;
    let preSystem = this.#system();
    let prePid = pidMode ? this.#pid() : undefined;
    const cpus = preSystem?.cpus.length || navigator.hardwareConcurrency || 1;
    for await (const _ of ticks(clock, ms, signal)) {
      if (pidMode) {
        const now = this.#pid();
        if (now && prePid) {
          yield this.#ctx.chunk([logRecord(pidRecord(prePid, now, seconds, cpus))]);
        }
        prePid = now;
        continue;
      }
      const now = this.#system();
      if (now && preSystem) {
        yield this.#ctx.chunk([logRecord(systemRecord(preSystem, now, seconds))]);
      }
      preSystem = now;
    }
  }
}
