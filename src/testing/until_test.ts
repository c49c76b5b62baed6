import { assertEquals, assertRejects } from "./assert.ts";
import { until, within } from "./until.ts";

Deno.test("until() returns the first truthy value of the check, sync or async", async () => {
  let n = 0;
  assertEquals(await until(() => ++n >= 3 && n, "three checks", { interval: 0 }), 3);
  assertEquals(await until(() => Promise.resolve("yes"), "an async check"), "yes");
});

Deno.test("until() names what never happened once the timeout passes", async () => {
  let checks = 0;
  await assertRejects(
    () => until(() => (checks++, false), "the impossible", { timeout: 30, interval: 5 }),
    Error,
    "Timed out after 30 ms waiting for the impossible",
  );
  assertEquals(checks > 1, true, "checked more than once before giving up");
});

Deno.test("until() ends at once when the check throws", async () => {
  let checks = 0;
  await assertRejects(
    () =>
      until(() => {
        checks++;
        throw new RangeError("broken");
      }, "a broken check"),
    RangeError,
    "broken",
  );
  assertEquals(checks, 1);
});

Deno.test("within() resolves as the promise does, or rejects naming it after the timeout", async () => {
  assertEquals(await within(Promise.resolve(7), "seven"), 7);
  await assertRejects(() => within(Promise.reject(new TypeError("bad")), "a rejection"), TypeError);
  await assertRejects(
    () => within(new Promise(() => {}), "a promise that never settles", { timeout: 20 }),
    Error,
    "Timed out after 20 ms waiting for a promise that never settles",
  );
});
