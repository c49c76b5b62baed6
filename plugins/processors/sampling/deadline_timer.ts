/**
 * One armed sleep for the tail stage's next decision deadline, kept across chunks.
 * Racing every upstream chunk against a fresh sleep built an AbortController, a timer
 * and a cancelled sleep per chunk (2.8% of a tail sampling ingest profile, plus the
 * garbage); the deadline rarely moves earlier, so one sleep serves many chunks. A sleep
 * armed for an earlier deadline than the current one only wakes the stage early: it
 * decides nothing due and arms the next. Each race leaves a reaction on the armed sleep
 * until it ends: at most one per chunk that came before the deadline.
 */
import type { Clock } from "../../../src/plugin.ts";

/** What {@link DeadlineTimer.wait} gives when the deadline came first. */
export const DUE: unique symbol = Symbol("due");

/** A reusable sleep until a deadline on `clock`. */
export class DeadlineTimer {
  readonly #clock: Clock;
  #at = Infinity;
  #sleep: Promise<typeof DUE> | undefined;
  #cancel: AbortController | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Waits for `next` or until `deadline` (clock ms), whichever comes first; with no
   * deadline, just `next`. The sleep stays armed for the next call.
   *
   * @example
   * ```ts
   * import { assertEquals } from "../../../src/testing/assert.ts";
   * import { FakeClock } from "../../../src/testing/fake_clock.ts";
   *
   * const clock = new FakeClock();
   * const timer = new DeadlineTimer(clock);
   * const ready = Promise.resolve<IteratorResult<number>>({ done: false, value: 1 });
   * assertEquals(await timer.wait(ready, 100), { done: false, value: 1 });
   * const pending = new Promise<IteratorResult<number>>(() => {});
   * const waiting = timer.wait(pending, 100); // the same sleep, still armed
   * assertEquals(clock.sleeping, 1);
   * clock.set(100);
   * assertEquals(await waiting, DUE);
   * timer.cancel();
   * ```
   */
  wait<T>(
    next: Promise<IteratorResult<T>>,
    deadline: number | undefined,
  ): Promise<IteratorResult<T> | typeof DUE> {
    if (deadline === undefined) {
      if (this.#sleep !== undefined) this.cancel();
      return next;
    }
    if (this.#sleep === undefined || deadline < this.#at) this.#arm(deadline);
    return Promise.race([next, this.#sleep!]);
  }

  /** Cancels the armed sleep (the stage ended). */
  cancel(): void {
    this.#cancel?.abort(CANCELLED);
    this.#cancel = this.#sleep = undefined;
    this.#at = Infinity;
  }

  #arm(deadline: number): void {
    this.cancel();
    const cancel = new AbortController();
    this.#cancel = cancel;
    this.#at = deadline;
    const sleep = this.#clock.sleep(Math.max(0, deadline - this.#clock.now()), cancel.signal)
      .then((): typeof DUE => {
        // Spent: the next wait arms anew (unless a later arm replaced this one already).
        if (this.#sleep === sleep) {
          this.#sleep = this.#cancel = undefined;
          this.#at = Infinity;
        }
        return DUE;
      });
    this.#sleep = sleep;
  }
}

const CANCELLED = new Error("deadline timer cancelled");
