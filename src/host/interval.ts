/**
 * The `interval_sec` / `interval_nsec` pair of Fluent Bit's host inputs (cpu, mem, disk,
 * netif, thermal, proc) and the tick loop they run on: a tick every interval, on schedule,
 * skipping ticks a slow step overran instead of bunching them.
 */
import type { Clock } from "../plugin/clock.ts";

/** Milliseconds of an interval; both at 0 or less mean Fluent Bit's default of 1 s. */
export function intervalMs(sec: number, nsec: number): number {
  if (sec <= 0 && nsec <= 0) return 1000;
  return Math.max(0, sec) * 1000 + Math.max(0, nsec) / 1e6;
}

/**
 * Resolves at each tick of `ms` after the start until `signal` aborts; yields the number of
 * ticks skipped since the last one (0 when on time).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { FakeClock } from "../testing/fake_clock.ts";
 * import { ticks } from "./interval.ts";
 *
 * const clock = new FakeClock();
 * const it = ticks(clock, 1000, new AbortController().signal);
 * const first = it.next();
 * clock.advance(1000);
 * assertEquals((await first).value, 0);
 * ```
 */
export async function* ticks(
  clock: Clock,
  ms: number,
  signal: AbortSignal,
): AsyncGenerator<number> {
  let due = clock.now() + ms;
  while (!signal.aborted) {
    while (!signal.aborted && clock.now() < due) {
      await clock.sleep(Math.min(2 ** 30, due - clock.now()), signal);
    }
    if (signal.aborted) return;
    const late = Math.floor((clock.now() - due) / ms);
    due += (late + 1) * ms;
    yield late;
  }
}
