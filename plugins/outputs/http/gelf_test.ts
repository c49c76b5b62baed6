import { EventTime } from "../../../src/event/event_time.ts";
import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { gelfRecord, gelfRecords } from "./gelf.ts";

const t = new EventTime(1_700_000_000, 123_456_789);

Deno.test("gelfRecord() renames the configured keys and prefixes the others", () => {
  const body = {
    log: "hello",
    hostname: "web-1",
    level: "warning",
    id: 5,
    user: { name: "ann", roles: ["a", "b"] },
    ok: true,
    n: 1.5,
    none: null,
  };
  const s = gelfRecord({ time: t, metadata: {}, body }, { shortMessage: "log", host: "hostname" });
  assertEquals(JSON.parse(s), {
    version: "1.1",
    short_message: "hello",
    host: "web-1",
    level: 4,
    _user_name: "ann",
    _user_roles: "a, b",
    _ok: "true",
    _n: 1.5,
    timestamp: 1700000000.123,
  });
  assertEquals(s.startsWith('{"version":"1.1","short_message":"hello"'), true);
});

Deno.test("gelfRecord() refuses a record without a short message; gelfRecords() joins lines", () => {
  assertThrows(
    () => gelfRecord({ time: t, metadata: {}, body: { msg: "x" } }),
    RangeError,
    "short_message",
  );
  const two = gelfRecords([
    { time: t, metadata: {}, body: { short_message: "a", timestamp: 5 } },
    { time: t, metadata: {}, body: { short_message: "b", "bad key!": 1 } },
  ]);
  assertEquals(two.split("\n").filter(Boolean).map((l) => JSON.parse(l)), [
    { version: "1.1", short_message: "a", timestamp: 5 },
    { version: "1.1", short_message: "b", "_bad_key_": 1, timestamp: 1700000000.123 },
  ]);
});
