import { assertEquals, assertThrows } from "../testing/assert.ts";
import { EventTime } from "./event_time.ts";

Deno.test("EventTime keeps nanoseconds exactly through bigint nanos", () => {
  const ns = 1_700_000_000_123_456_789n;
  const t = EventTime.fromNanos(ns);
  assertEquals(t.sec, 1_700_000_000);
  assertEquals(t.nsec, 123_456_789);
  assertEquals(t.toNanos(), ns);
  assertEquals(t.toISOString(), "2023-11-14T22:13:20.123456789Z");
});

Deno.test("EventTime.fromSeconds splits a float", () => {
  const t = EventTime.fromSeconds(1.5);
  assertEquals([t.sec, t.nsec], [1, 500_000_000]);
});

Deno.test("EventTime rejects a fractional second count", () => {
  assertThrows(() => new EventTime(1.5, 0), RangeError);
});

Deno.test("EventTime.compare orders by seconds then nanoseconds", () => {
  assertEquals(new EventTime(1, 2).compare(new EventTime(1, 3)) < 0, true);
  assertEquals(new EventTime(2, 0).compare(new EventTime(1, 999)) > 0, true);
});
