/**
 * The netif input: every interval, one interface's `/proc/net/dev` counters as the change since
 * the last interval (`<iface>.rx.bytes`, ...), as Fluent Bit's `in_netif` records them; the
 * first interval only takes the baseline.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { logRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { intervalMs, ticks } from "../../../src/host/interval.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import type { NetifOptions } from "./options.ts";

/**
 * The 16 columns of `/proc/net/dev`, with Fluent Bit's names and whether non-verbose mode
 * keeps them. `tx.compressepd` is Fluent Bit's spelling, kept for drop-in compatibility.
 */
export const COLUMNS: readonly [string, boolean][] = [
  ["rx.bytes", true],
  ["rx.packets", true],
  ["rx.errors", true],
  ["rx.drop", false],
  ["rx.fifo", false],
  ["rx.frame", false],
  ["rx.compressed", false],
  ["rx.multicast", false],
  ["tx.bytes", true],
  ["tx.packets", true],
  ["tx.errors", true],
  ["tx.drop", false],
  ["tx.fifo", false],
  ["tx.collisions", false],
  ["tx.carrier", false],
  ["tx.compressepd", false],
];

/** The counters of interface `name` in a `/proc/net/dev` text (prefix match, as Fluent Bit). */
export function interfaceCounters(text: string, name: string): number[] | undefined {
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    if (!line.slice(0, colon).trim().startsWith(name)) continue;
    const v = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (v.length >= COLUMNS.length && v.every(Number.isFinite)) return v;
  }
  return undefined;
}

/** The record of two readings: `<name>.<column>` deltas, the verbose columns when asked. */
export function netifRecord(
  name: string,
  pre: number[],
  now: number[],
  verbose: boolean,
): RecordMap {
  const out: RecordMap = {};
  COLUMNS.forEach(([col, always], i) => {
    if (!always && !verbose) return;
    const a = pre[i]!;
    const b = now[i]!;
    out[`${name}.${col}`] = b >= a ? b - a : b;
  });
  return out;
}

/** A running netif input. */
export class NetifInput implements InputInstance {
  readonly chunks: AsyncIterable<Chunk>;
  readonly #ctx: InputContext;
  readonly #options: NetifOptions & { interface: string };
  readonly #path: string;

  constructor(options: NetifOptions & { interface: string }, ctx: InputContext, procfs = "/proc") {
    this.#ctx = ctx;
    this.#options = options;
    this.#path = `${procfs}/net/dev`;
    this.chunks = this.#main();
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The interface's counters now, or undefined (logged once) when it cannot be read. */
  read(): number[] | undefined {
    let text: string;
    try {
      text = Deno.readTextFileSync(this.#path);
    } catch (e) {
      this.#ctx.log.once(
        "error",
        "netif-read",
        `cannot read ${this.#path}: ${(e as Error).message}`,
      );
      return undefined;
    }
    const v = interfaceCounters(text, this.#options.interface);
    if (!v) {
      this.#ctx.log.once(
        "warn",
        "netif-missing",
        `interface "${this.#options.interface}" not found in ${this.#path}`,
      );
    }
    return v;
  }

  async *#main(): AsyncGenerator<Chunk> {
    const { clock, signal } = this.#ctx;
    const o = this.#options;
    let pre: number[] | undefined;
    for await (const _ of ticks(clock, intervalMs(o.interval_sec, o.interval_nsec), signal)) {
      const now = this.read();
      if (now && pre) {
        yield this.#ctx.chunk([logRecord(netifRecord(o.interface, pre, now, o.verbose))]);
      }
      pre = now ?? pre;
    }
  }
}
