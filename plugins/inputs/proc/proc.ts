/**
 * The proc input: every interval, whether the process named `proc_name` is alive, its pid,
 * memory (`mem.Vm*`, kB × 1000 as Fluent Bit computes them) and open descriptors, as Fluent
 * Bit's `in_proc` records them; with `alert`, only while it is not running.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { logRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { intervalMs, ticks } from "../../../src/host/interval.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import type { ProcOptions } from "./options.ts";

/** The status fields reported, in Fluent Bit's order. */
export const VM_FIELDS = [
  "Peak",
  "Size",
  "Lck",
  "HWM",
  "RSS",
  "Data",
  "Stk",
  "Exe",
  "Lib",
  "PTE",
  "Swap",
] as const;

const CMD_LEN = 256;

/**
 * The first pid whose command has `name` as basename, or -1; pids are tried in the string
 * order Fluent Bit's glob of the cmdline files gives.
 */
export function findPid(procfs: string, name: string): number {
  let entries: string[];
  try {
    entries = [...Deno.readDirSync(procfs)].map((e) => e.name).filter((n) => /^\d+$/.test(n))
      .sort();
  } catch {
    return -1;
  }
  for (const pid of entries) {
    let cmd: string;
    try {
      cmd = Deno.readTextFileSync(`${procfs}/${pid}/cmdline`).slice(0, CMD_LEN - 1);
    } catch {
      continue;
    }
    const first = cmd.split("\0")[0] ?? "";
    if (first.slice(first.lastIndexOf("/") + 1) === name) return Number(pid);
  }
  return -1;
}

/** `mem.Vm*` of a `/proc/<pid>/status` text, each value's digits × 1000 (0 when absent). */
export function vmFields(status: string): RecordMap {
  const kb = new Map<string, number>();
  for (const line of status.split("\n")) {
    const m = line.match(/^Vm(\w+):\s*(\d+)/);
    if (m) kb.set(m[1]!, Number(m[2]));
  }
  const out: RecordMap = {};
  for (const f of VM_FIELDS) out[`mem.Vm${f}`] = (kb.get(f) ?? 0) * 1000;
  return out;
}

/** A running proc input. */
export class ProcInput implements InputInstance {
  readonly chunks: AsyncIterable<Chunk>;
  readonly #ctx: InputContext;
  readonly #options: ProcOptions & { proc_name: string };
  readonly #procfs: string;

  constructor(options: ProcOptions & { proc_name: string }, ctx: InputContext, procfs = "/proc") {
    this.#ctx = ctx;
    this.#options = options;
    this.#procfs = procfs;
    this.chunks = this.#main();
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The record of now, or undefined under `alert` while the process runs. */
  sample(): RecordMap | undefined {
    const o = this.#options;
    const pid = findPid(this.#procfs, o.proc_name);
    let status: string | undefined;
    if (pid >= 0) {
      try {
        status = Deno.readTextFileSync(`${this.#procfs}/${pid}/status`);
      } catch {
        // it exited meanwhile
      }
    }
    const alive = status !== undefined;
    if (alive && o.alert) return undefined;
    const body: RecordMap = { alive, proc_name: o.proc_name, pid: alive ? pid : -1 };
    if (o.mem) Object.assign(body, vmFields(status ?? ""));
    if (o.fd) {
      let fds = 0;
      if (alive) {
        try {
          for (const _ of Deno.readDirSync(`${this.#procfs}/${pid}/fd`)) fds++;
        } catch (e) {
          this.#ctx.log.once(
            "warn",
            "proc-fd",
            `cannot list ${this.#procfs}/${pid}/fd: ${(e as Error).message}`,
          );
        }
      }
      body.fd = fds;
    }
    return body;
  }

  async *#main(): AsyncGenerator<Chunk> {
    const { clock, signal } = this.#ctx;
    const o = this.#options;
    for await (const _ of ticks(clock, intervalMs(o.interval_sec, o.interval_nsec), signal)) {
      const body = this.sample();
      if (body) yield this.#ctx.chunk([logRecord(body)]);
    }
  }
}
