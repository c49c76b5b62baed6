import { EventTime } from "../../../src/event/event_time.ts";
import { encodeValue } from "../../../src/event/msgpack.ts";
import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { parsePayload, PayloadError, payloadFormat } from "./payload.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const bodies = (s: string) => parsePayload(enc(s), "json").map((e) => e.body);

Deno.test("payloadFormat takes the media type, parameters ignored", () => {
  assertEquals(payloadFormat("Application/JSON; charset=utf-8"), "json");
  assertEquals(payloadFormat("application/x-www-form-urlencoded"), "urlencoded");
  assertEquals(payloadFormat("application/x-msgpack"), "msgpack");
  assertEquals(payloadFormat("text/plain"), null);
});

Deno.test("JSON: object, array (first only), concatenated objects", () => {
  assertEquals(bodies('{"a":1}'), [{ a: 1 }]);
  assertEquals(bodies('[{"a":1},{"b":"}{"}]'), [{ a: 1 }, { b: "}{" }]);
  assertEquals(bodies('{"a":"\\"}"} {"b":2}\n'), [{ a: '"}' }, { b: 2 }]);
  assertEquals(bodies('[{"a":1}][{"b":2}]'), [{ a: 1 }]);
});

Deno.test("JSON: scalars, non-map elements and broken text are PayloadErrors", () => {
  for (const bad of ["1", '"s"', "[1]", '{"a":', '{"a":1} x', "{}}", "\xff"]) {
    assertThrows(() => parsePayload(enc(bad), "json"), PayloadError);
  }
});

Deno.test("urlencoded: strings, + as space, pairs without = skipped", () => {
  assertEquals(parsePayload(enc(" a = 1 &b=x%20y+z&c&d=%zz"), "urlencoded")[0]!.body, {
    a: "1",
    b: "x y z",
    d: "%zz",
  });
});

Deno.test("msgpack: maps, arrays of maps and Fluent Bit events keep their times", () => {
  const t = new EventTime(1_700_000_000, 5);
  const bytes = new Uint8Array([
    ...encodeValue({ a: 1 }),
    ...encodeValue([{ b: 1 }, { c: 1 }]),
    ...encodeValue([t, { d: 1 }]),
    ...encodeValue([[t, { m: 1 }], { e: 1 }]),
  ]);
  const entries = parsePayload(bytes, "msgpack");
  assertEquals(entries.map((e) => e.body), [{ a: 1 }, { b: 1 }, { c: 1 }, { d: 1 }, { e: 1 }]);
  assertEquals(entries[3]!.time?.sec, 1_700_000_000);
  assertEquals(entries[4]!.metadata, { m: 1 });
  assertThrows(() => parsePayload(encodeValue(7), "msgpack"), PayloadError);
  assertThrows(() => parsePayload(new Uint8Array([0xc1]), "msgpack"), PayloadError);
});
