import { assertEquals } from "../testing/assert.ts";
import { FakeClock } from "../testing/fake_clock.ts";
import { intervalMs, ticks } from "./interval.ts";

Deno.test("intervalMs() adds nanoseconds and falls back to 1 s as Fluent Bit does", () => {
  assertEquals(intervalMs(2, 500_000_000), 2500);
  assertEquals(intervalMs(0, 0), 1000);
  assertEquals(intervalMs(0, 250_000_000), 250);
});

Deno.test("ticks() keeps to schedule and reports skipped ticks", async () => {
  const clock = new FakeClock();
  const abort = new AbortController();
  const it = ticks(clock, 1000, abort.signal);
  let next = it.next();
  clock.advance(1000);
  assertEquals((await next).value, 0);
  next = it.next();
  await Promise.resolve();
  clock.advance(3500); // now 4500: ticks at 2000 and 3000 were missed
  assertEquals((await next).value, 2);
  next = it.next();
  await Promise.resolve();
  clock.advance(500); // the next one is at 5000
  assertEquals((await next).value, 0);
  assertEquals(clock.now(), 5000);
  abort.abort();
  assertEquals((await it.next()).done, true);
});
