import { assertEquals, assertRejects } from "./assert.ts";
import { FakeClock } from "./fake_clock.ts";

Deno.test("FakeClock wakes sleeps only as it is moved past their end", async () => {
  const clock = new FakeClock();
  const woken: number[] = [];
  clock.sleep(20).then(() => woken.push(20));
  clock.sleep(10).then(() => woken.push(10));
  const cancel = new AbortController();
  clock.sleep(5, cancel.signal);
  cancel.abort();
  assertEquals(clock.nextDeadline, 10);
  clock.advance(9);
  await Promise.resolve();
  assertEquals(woken, []);
  clock.advance(1);
  await Promise.resolve();
  assertEquals([woken, clock.sleeping, clock.nextDeadline], [[10], 1, 20]);
});

Deno.test("FakeClock.runUntil() jumps from deadline to deadline until the promise settles", async () => {
  const clock = new FakeClock();
  async function twoSleeps(): Promise<string> {
    await clock.sleep(1000);
    await clock.sleep(500);
    return "done";
  }
  assertEquals(await clock.runUntil(twoSleeps(), "two sleeps"), "done");
  assertEquals(clock.now(), 1500);
  await assertRejects(
    () => clock.runUntil(new Promise(() => {}), "a promise that never settles", 5),
    RangeError,
    "Cannot settle a promise that never settles: still pending after 5 turns",
  );
});
