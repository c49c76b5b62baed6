import { assertEquals } from "../../../src/testing/assert.ts";
import { parseRetryAfter } from "./sender.ts";

Deno.test("parseRetryAfter() reads delay-seconds and HTTP dates, ignores the rest", () => {
  const now = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");
  assertEquals(parseRetryAfter("120", now), 120);
  assertEquals(parseRetryAfter(" 0 ", now), 0);
  assertEquals(parseRetryAfter("Wed, 21 Oct 2026 07:28:30 GMT", now), 30);
  assertEquals(parseRetryAfter("Wed, 21 Oct 2026 07:27:00 GMT", now), 0, "a past date: now");
  assertEquals(parseRetryAfter(null, now), undefined);
  assertEquals(parseRetryAfter("-5", now), undefined);
  assertEquals(parseRetryAfter("soon", now), undefined);
});
