import { EventTime } from "../../../src/event/event_time.ts";
import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { decodeMessage } from "./decode.ts";

const enc = new TextEncoder();
const now = new EventTime(5, 0);

function logs(text: string, useTag = true) {
  const d = decodeMessage(enc.encode(text), { signal: undefined, useTag, now });
  if (d.signal !== "logs") throw new Error("not logs");
  return d;
}

Deno.test("nats input decodes Fluent Bit's out_nats payload: times, tag taken from the records", () => {
  const d = logs('[[1700000000.5,{"tag":"app","m":"x"}],[1700000001.0,{"tag":"app","n":2}]]');
  assertEquals(d.tag, "app");
  assertEquals(d.records.map((r) => r.body), [{ m: "x" }, { n: 2 }]);
  assertEquals(d.records.map((r) => [r.time.sec, Math.round(r.time.nsec / 1000)]), [
    [1700000000, 500000],
    [1700000001, 0],
  ]);
  const kept = logs('[[1700000000.5,{"tag":"app","m":"x"}]]', false);
  assertEquals([kept.tag, kept.records[0]!.body], [undefined, { tag: "app", m: "x" }]);
});

Deno.test("nats input decodes plain JSON: an object, an array of objects, one object a line", () => {
  assertEquals(logs('{"a":1}').records.map((r) => [r.body, r.time]), [[{ a: 1 }, now]]);
  assertEquals(logs('[{"a":1},{"b":2}]').records.map((r) => r.body), [{ a: 1 }, { b: 2 }]);
  assertEquals(logs('{"a":1}\n{"b":2}\n').records.map((r) => r.body), [{ a: 1 }, { b: 2 }]);
});

Deno.test("nats input refuses what is not records", () => {
  assertThrows(() => logs("not json"), SyntaxError);
  assertThrows(() => logs("[1,2]"), SyntaxError, "expected [time, record] pairs");
  assertThrows(() => logs('"text"'), SyntaxError);
});
