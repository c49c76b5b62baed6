import { assertEquals } from "../../../src/testing/assert.ts";
import { EndpointHealth } from "./balance_health.ts";

Deno.test("EndpointHealth: down after N failures in a row, up again after downMs, down at once on the next failure", () => {
  let now = 0;
  const h = new EndpointHealth({ failAfter: 3, downMs: 1000, now: () => now });
  assertEquals([h.failed("a"), h.failed("a")], [false, false]);
  assertEquals(h.isUp("a"), true);
  assertEquals(h.failed("a"), true);
  assertEquals([h.isUp("a"), h.isUp("b")], [false, true]);
  now = 999;
  assertEquals(h.isUp("a"), false);
  now = 1000;
  assertEquals(h.isUp("a"), true); // half open
  assertEquals(h.failed("a"), true); // one more failure: down again
  assertEquals(h.isUp("a"), false);
  assertEquals(h.delivered("a"), true);
  assertEquals([h.isUp("a"), h.delivered("a")], [true, false]);
});

Deno.test("EndpointHealth: a success between failures resets the count", () => {
  const h = new EndpointHealth({ failAfter: 2, downMs: 1000, now: () => 0 });
  h.failed("a");
  h.delivered("a");
  assertEquals(h.failed("a"), false);
  assertEquals(h.isUp("a"), true);
});
