/**
 * `GET /api/v1/uptime`: seconds since start and Fluent Bit's human-readable sentence.
 */

const DAY = 86400;
const HOUR = 3600;
const MINUTE = 60;

/** The body of `/api/v1/uptime`, in Fluent Bit's key order. */
export interface UptimeBody {
  uptime_sec: number;
  uptime_hr: string;
}

function unit(n: number, name: string): string {
  return `${n} ${name}${n > 1 ? "s" : ""}`;
}

/**
 * Fluent Bit's uptime sentence, word for word, including the double space after the colon and
 * the singular for 0 and 1 ("0 day, 0 hour, 1 minute and 5 seconds").
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(
 *   formatUptime(65),
 *   "Fluent Bit has been running:  0 day, 0 hour, 1 minute and 5 seconds",
 * );
 * ```
 */
export function formatUptime(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const days = Math.floor(total / DAY);
  const hours = Math.floor((total % DAY) / HOUR);
  const minutes = Math.floor((total % HOUR) / MINUTE);
  const secs = total % MINUTE;
  return "Fluent Bit has been running:  " +
    `${unit(days, "day")}, ${unit(hours, "hour")}, ${unit(minutes, "minute")} and ` +
    unit(secs, "second");
}

/** Whole seconds elapsed since `startedAt` at `nowMs`, never negative. */
export function uptimeSeconds(startedAt: Date, nowMs: number): number {
  return Math.max(0, Math.floor((nowMs - startedAt.getTime()) / 1000));
}

/** The `/api/v1/uptime` body for a process started at `startedAt`, seen at `nowMs`. */
export function uptimeBody(startedAt: Date, nowMs: number): UptimeBody {
  const sec = uptimeSeconds(startedAt, nowMs);
  return { uptime_sec: sec, uptime_hr: formatUptime(sec) };
}
