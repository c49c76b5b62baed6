import { assertEquals } from "../../../src/testing/assert.ts";
import { FakeClock } from "../../../src/testing/fake_clock.ts";
import { DeadlineTimer, DUE } from "./deadline_timer.ts";

const never = new Promise<IteratorResult<number>>(() => {});

Deno.test("DeadlineTimer keeps one sleep across waits and re-arms only for an earlier deadline", async () => {
  const clock = new FakeClock();
  const timer = new DeadlineTimer(clock);
  const first = timer.wait(Promise.resolve({ done: false, value: 1 }), 100);
  assertEquals(await first, { done: false, value: 1 });
  timer.wait(Promise.resolve({ done: false, value: 2 }), 150); // later: the 100 ms sleep serves
  assertEquals([clock.sleeping, clock.nextDeadline], [1, 100]);
  const early = timer.wait(never, 50); // earlier: re-armed
  assertEquals([clock.sleeping, clock.nextDeadline], [1, 50]);
  clock.set(50);
  assertEquals(await early, DUE);
  const again = timer.wait(never, 80); // the spent sleep is replaced
  assertEquals([clock.sleeping, clock.nextDeadline], [1, 80]);
  clock.set(80);
  assertEquals(await again, DUE);
  timer.wait(never, 200);
  timer.cancel();
  assertEquals(clock.sleeping, 0);
});

Deno.test("DeadlineTimer waits for the chunk alone when nothing is pending", async () => {
  const clock = new FakeClock();
  const timer = new DeadlineTimer(clock);
  timer.wait(never, 100);
  const r = await timer.wait(Promise.resolve({ done: true, value: undefined }), undefined);
  assertEquals([r, clock.sleeping], [{ done: true, value: undefined }, 0]);
});
