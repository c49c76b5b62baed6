/** The mem input's record: system memory and swap in kB, and a process's resident size. */
import type { RecordMap } from "../../../src/event/log_record.ts";

const PAGE_SIZE = 4096;
const UNITS = ["b", "K", "M", "G", "T", "P", "E", "Z", "Y"];

/**
 * Mem.* and Swap.* (kB) from `/proc/meminfo`, as sysinfo(2) gives them to Fluent Bit:
 * used = total - free. Undefined when MemTotal or MemFree is missing.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { memRecord } from "./mem_info.ts";
 *
 * const r = memRecord("MemTotal: 100 kB\nMemFree: 40 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
 * assertEquals(r?.["Mem.used"], 60);
 * ```
 */
export function memRecord(meminfo: string): RecordMap | undefined {
  const kb = new Map<string, number>();
  for (const line of meminfo.split("\n")) {
    const m = line.match(/^(\w+):\s+(\d+)/);
    if (m) kb.set(m[1]!, Number(m[2]));
  }
  const total = kb.get("MemTotal");
  const free = kb.get("MemFree");
  if (total === undefined || free === undefined) return undefined;
  const swapTotal = kb.get("SwapTotal") ?? 0;
  const swapFree = kb.get("SwapFree") ?? 0;
  return {
    "Mem.total": total,
    "Mem.used": total - free,
    "Mem.free": free,
    "Swap.total": swapTotal,
    "Swap.used": swapTotal - swapFree,
    "Swap.free": swapFree,
  };
}

/** A size as Fluent Bit's human_readable_size writes it: "512 b", "15.09M". */
export function humanSize(bytes: number): string {
  let u = 1024;
  let i = 0;
  for (; i < UNITS.length; i++) {
    if (Math.trunc(bytes / u) === 0) break;
    u *= 1024;
  }
  if (i === 0) return `${bytes} ${UNITS[0]}`;
  return `${(bytes / (u / 1024)).toFixed(2)}${UNITS[i]}`;
}

/** The resident bytes of a `/proc/<pid>/stat` line (rss pages), or undefined when malformed. */
export function rssBytes(stat: string): number | undefined {
  const close = stat.lastIndexOf(")");
  if (close < 0) return undefined;
  const rss = Number(stat.slice(close + 2).trim().split(/\s+/)[21]);
  return Number.isFinite(rss) ? rss * PAGE_SIZE : undefined;
}
