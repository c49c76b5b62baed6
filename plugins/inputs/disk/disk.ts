/**
 * The disk input: every interval, the bytes read and written since the last one, summed over
 * the `/proc/diskstats` lines (partitions included, as Fluent Bit sums them) whose device name
 * contains `dev_name`, as Fluent Bit's `in_disk` records `read_size` and `write_size`.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { logRecord } from "../../../src/event/log_record.ts";
import { intervalMs, ticks } from "../../../src/host/interval.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import type { DiskOptions } from "./options.ts";

const SECTOR = 512;

/** Sectors read and written per device line of `/proc/diskstats` matching `devName`. */
export function diskSectors(text: string, devName?: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    const name = f[2];
    if (!name || f.length < 10) continue;
    if (devName && !name.includes(devName)) continue;
    const read = Number(f[5]);
    const written = Number(f[9]);
    if (Number.isFinite(read) && Number.isFinite(written)) out.set(name, [read, written]);
  }
  return out;
}

/** `read_size` and `write_size` in bytes between two readings (a counter that went back counts from 0). */
export function diskRecord(
  pre: Map<string, [number, number]>,
  now: Map<string, [number, number]>,
): { read_size: number; write_size: number } {
  let read = 0;
  let write = 0;
  for (const [name, [r, w]] of now) {
    const [pr, pw] = pre.get(name) ?? [r, w];
    read += r >= pr ? r - pr : r;
    write += w >= pw ? w - pw : w;
  }
  return { read_size: read * SECTOR, write_size: write * SECTOR };
}

/** A running disk input. */
export class DiskInput implements InputInstance {
  readonly chunks: AsyncIterable<Chunk>;
  readonly #ctx: InputContext;
  readonly #options: DiskOptions;
  readonly #path: string;

  constructor(options: DiskOptions, ctx: InputContext, procfs = "/proc") {
    this.#ctx = ctx;
    this.#options = options;
    this.#path = `${procfs}/diskstats`;
    this.chunks = this.#main();
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  #read(): Map<string, [number, number]> | undefined {
    try {
      return diskSectors(Deno.readTextFileSync(this.#path), this.#options.dev_name);
    } catch (e) {
      this.#ctx.log.once(
        "error",
        "disk-read",
        `cannot read ${this.#path}: ${(e as Error).message}`,
      );
      return undefined;
    }
  }

  async *#main(): AsyncGenerator<Chunk> {
    const { clock, signal } = this.#ctx;
    const ms = intervalMs(this.#options.interval_sec, this.#options.interval_nsec);
    let pre = this.#read();
    for await (const _ of ticks(clock, ms, signal)) {
      const now = this.#read();
      if (pre && now) yield this.#ctx.chunk([logRecord(diskRecord(pre, now))]);
      pre = now ?? pre;
    }
  }
}
