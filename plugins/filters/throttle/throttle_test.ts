import { defaultsOf } from "../../../src/config/options.ts";
import { logRecord } from "../../../src/event/log_record.ts";
import { assertEquals, assertMatch, assertThrows } from "../../../src/testing/assert.ts";
import { FakeClock } from "../../../src/testing/fake_clock.ts";
import { logChunk, testFilterContext } from "../../../src/testing/filter_context.ts";
import { OptionError } from "../../../src/plugin.ts";
import { plugin } from "./mod.ts";
import { throttleOptions } from "./options.ts";
import { intervalSeconds } from "./throttle.ts";

/** A throttle on a fake clock; `second(n)` feeds n records and says how many were kept. */
async function throttle(options: Record<string, unknown>) {
  const clock = new FakeClock();
  const ctx = testFilterContext({ name: "throttle.0", clock });
  const inst = await plugin.create({ ...defaultsOf(throttleOptions), ...options } as never, ctx);
  const feed = (n: number) => {
    const chunk = logChunk(Array.from({ length: n }, (_, i) => ({ i })));
    return inst.process!(chunk)?.records.length ?? 0;
  };
  const tick = async () => {
    clock.advance(1000);
    await new Promise((r) => setTimeout(r, 0)); // the ticker runs on the clock's wake-up
  };
  return { feed, tick, ctx, close: () => inst.close!() };
}

Deno.test("throttle keeps rate × window at first, then nothing until the ring wraps (vectors 1-3)", async () => {
  const t = await throttle({ rate: 1, window: 5, interval: "1s" });
  const kept: number[] = [];
  for (let second = 0; second < 11; second++) {
    kept.push(t.feed(100));
    await t.tick();
  }
  // Pane 0 holds the 5 kept records until the ticker overwrites it at second 5, and so on.
  assertEquals(kept, [5, 0, 0, 0, 0, 5, 0, 0, 0, 0, 5]);
  await t.close();
});

Deno.test("throttle under the rate keeps everything (vector 4)", async () => {
  const t = await throttle({ rate: 10, window: 2, interval: "1s" });
  const kept: number[] = [];
  for (let second = 0; second < 6; second++) {
    kept.push(t.feed(3));
    await t.tick();
  }
  assertEquals(kept, [3, 3, 3, 3, 3, 3]);
  await t.close();
});

Deno.test("throttle forces rate ≤ 1 to 1 and window ≤ 1 to 5, as Fluent Bit does", async () => {
  const t = await throttle({ rate: 0.5, window: 1 });
  assertEquals(t.feed(50), 5);
  await t.close();
});

Deno.test("throttle print_status logs Fluent Bit's line at every tick", async () => {
  const t = await throttle({ rate: 2, window: 4, interval: "1s", print_status: true });
  t.feed(10);
  await t.tick();
  const last = t.ctx.logLines.at(-1)!;
  assertMatch(
    last,
    /\d+: limit is 2\.00 per 1s with window size of 4, current rate is: 2 per interval/,
  );
  await t.close();
});

Deno.test("throttle interval: s/m/h/d suffixes; anything else is a config error", () => {
  assertEquals(intervalSeconds("90"), 90);
  assertEquals(intervalSeconds("0.5s"), 0.5);
  for (const bad of ["500ms", "0", "-1s", "abc"]) {
    assertThrows(() => intervalSeconds(bad), OptionError);
  }
});

Deno.test("throttle passes group markers and other signals through", async () => {
  const t = await throttle({ rate: 1, window: 2 });
  const chunk = logChunk([]);
  chunk.records.push(logRecord({ a: 1 }));
  assertEquals(t.feed(2), 2);
  assertEquals(t.feed(1), 0);
  await t.close();
});
