/**
 * CPU time snapshots from `/proc/stat` and `/proc/<pid>/stat`, and the usage percentages
 * Fluent Bit's cpu input computes from two of them: the system total normalised by the number
 * of CPUs (0-100), each CPU on its own (0-100), over the configured interval.
 */
import type { RecordMap } from "../../../src/event/log_record.ts";

/** Clock ticks per second (USER_HZ), 100 on every Linux Fluent Bit runs on. */
const TICKS = 100;

/** Jiffies of one CPU line (or the total line). */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
}

/** The total line and each CPU's, in order; undefined when the text has no total line. */
export interface SystemSnapshot {
  total: CpuTimes;
  cpus: CpuTimes[];
}

/** Parses `/proc/stat`; returns undefined when it has no usable `cpu` total line. */
export function parseProcStat(text: string): SystemSnapshot | undefined {
  let total: CpuTimes | undefined;
  const cpus: CpuTimes[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("cpu")) continue;
    const f = line.trim().split(/\s+/);
    const [user, nice, system] = f.slice(1, 4).map(Number);
    if (user === undefined || nice === undefined || system === undefined) return undefined;
    if (![user, nice, system].every(Number.isFinite)) return undefined;
    if (f[0] === "cpu") total = { user, nice, system };
    else cpus.push({ user, nice, system });
  }
  return total && { total, cpus };
}

/** utime and stime of a `/proc/<pid>/stat` line, or undefined when malformed. */
export function parsePidStat(text: string): { user: number; system: number } | undefined {
  const close = text.lastIndexOf(")");
  if (close < 0) return undefined;
  const f = text.slice(close + 2).trim().split(/\s+/);
  const user = Number(f[11]);
  const system = Number(f[12]);
  return Number.isFinite(user) && Number.isFinite(system) ? { user, system } : undefined;
}

/** Fluent Bit's CPU_METRIC_SYS_AVERAGE (with `cpus`) and CPU_METRIC_USAGE, in its order of operations. */
function usage(pre: number, now: number, seconds: number, cpus?: number): number {
  if (pre === now) return 0;
  const diff = Math.abs(now - pre);
  if (cpus === undefined) return ((diff * 100) / TICKS) / seconds;
  return (((diff / TICKS) * 100) / cpus) / seconds;
}

/**
 * The record of two system snapshots `seconds` apart: `cpu_p`, `user_p`, `system_p` for the
 * whole system, then `cpuN.p_cpu`, `cpuN.p_user`, `cpuN.p_system` per CPU.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { systemRecord } from "./cpu_stat.ts";
 *
 * const a = { total: { user: 0, nice: 0, system: 0 }, cpus: [{ user: 0, nice: 0, system: 0 }] };
 * const b = { total: { user: 50, nice: 0, system: 25 }, cpus: [{ user: 50, nice: 0, system: 25 }] };
 * assertEquals(systemRecord(a, b, 1).cpu_p, 75);
 * ```
 */
export function systemRecord(pre: SystemSnapshot, now: SystemSnapshot, seconds: number): RecordMap {
  const n = now.cpus.length || 1;
  const sum = (t: CpuTimes) => t.user + t.nice + t.system;
  const out: RecordMap = {
    cpu_p: usage(sum(pre.total), sum(now.total), seconds, n),
    user_p: usage(pre.total.user + pre.total.nice, now.total.user + now.total.nice, seconds, n),
    system_p: usage(pre.total.system, now.total.system, seconds, n),
  };
  now.cpus.forEach((c, i) => {
    const p = pre.cpus[i] ?? c;
    out[`cpu${i}.p_cpu`] = usage(sum(p), sum(c), seconds);
    out[`cpu${i}.p_user`] = usage(p.user + p.nice, c.user + c.nice, seconds);
    out[`cpu${i}.p_system`] = usage(p.system, c.system, seconds);
  });
  return out;
}

/** The record of two process snapshots: `cpu_p`, `user_p`, `system_p`, over all `cpus`. */
export function pidRecord(
  pre: { user: number; system: number },
  now: { user: number; system: number },
  seconds: number,
  cpus: number,
): RecordMap {
  return {
    cpu_p: usage(pre.user + pre.system, now.user + now.system, seconds, cpus),
    user_p: usage(pre.user, now.user, seconds, cpus),
    system_p: usage(pre.system, now.system, seconds, cpus),
  };
}
