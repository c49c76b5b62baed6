/**
 * The mem input: every interval, memory and swap totals, used and free (kB), and with `pid`
 * that process's resident size, as Fluent Bit's `in_mem` records them.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { logRecord } from "../../../src/event/log_record.ts";
import { intervalMs, ticks } from "../../../src/host/interval.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import { humanSize, memRecord, rssBytes } from "./mem_info.ts";
import type { MemOptions } from "./options.ts";

/** A running mem input. */
export class MemInput implements InputInstance {
  readonly chunks: AsyncIterable<Chunk>;
  readonly #ctx: InputContext;
  readonly #options: MemOptions;
  readonly #procfs: string;

  constructor(options: MemOptions, ctx: InputContext, procfs = "/proc") {
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
      this.#ctx.log.once("error", `mem-${path}`, `cannot read ${path}: ${(e as Error).message}`);
      return undefined;
    }
  }

  async *#main(): AsyncGenerator<Chunk> {
    const { clock, signal, log } = this.#ctx;
    const ms = intervalMs(this.#options.interval_sec, this.#options.interval_nsec);
    for await (const _ of ticks(clock, ms, signal)) {
      const text = this.#read(`${this.#procfs}/meminfo`);
      const body = text === undefined ? undefined : memRecord(text);
      if (!body) {
        if (text !== undefined) log.once("warn", "mem-parse", "meminfo has no MemTotal/MemFree");
        continue;
      }
      if (this.#options.pid > 0) {
        const stat = this.#read(`${this.#procfs}/${this.#options.pid}/stat`);
        const rss = stat === undefined ? undefined : rssBytes(stat);
        if (rss !== undefined) {
          body.proc_bytes = rss;
          body.proc_hr = humanSize(rss);
        }
      }
      yield this.#ctx.chunk([logRecord(body)]);
    }
  }
}
