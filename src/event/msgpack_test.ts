import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { EventTime } from "./event_time.ts";
import { GROUP_END, GROUP_START, isGroupMarker, type LogRecord } from "./log_record.ts";
import {
  decodeMulti,
  decodeRecords,
  decodeValue,
  encodeRecords,
  encodeValue,
  eventTimeBytes,
} from "./msgpack.ts";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

function bytes(...parts: number[]): Uint8Array {
  return new Uint8Array(parts);
}

Deno.test("encodeValue() writes EventTime as fixext8 type 0 with BE seconds and nanoseconds", () => {
  const t = new EventTime(123456789, 123456789);
  assertEquals(hex(encodeValue(t)), "d7 00 07 5b cd 15 07 5b cd 15");
  assertEquals(
    hex(eventTimeBytes(new EventTime(0xffffffff, 999_999_999))),
    "ff ff ff ff 3b 9a c9 ff",
  );
});

Deno.test("encodeRecords() writes the exact v2 event bytes Fluent Bit writes", () => {
  const rec: LogRecord = {
    time: new EventTime(123456789, 123456789),
    metadata: {},
    body: { aa: "bb" },
  };
  assertEquals(
    hex(encodeRecords([rec])),
    "92 92 d7 00 07 5b cd 15 07 5b cd 15 80 81 a2 61 61 a2 62 62",
  );
});

Deno.test("encodeRecords() and decodeRecords() round-trip nanoseconds, metadata and bodies", () => {
  const records: LogRecord[] = [
    { time: new EventTime(1_700_000_000, 123_456_789), metadata: {}, body: { msg: "a" } },
    { time: new EventTime(1_700_000_001, 1), metadata: { k: [1, 2] }, body: { n: null } },
    { time: new EventTime(0, 999_999_999), metadata: {}, body: { nested: { x: true, y: 1.5 } } },
  ];
  const back = decodeRecords(encodeRecords(records));
  assertEquals(back.length, 3);
  for (let i = 0; i < 3; i++) {
    assert(back[i]!.time.equals(records[i]!.time), `time ${i}`);
    assertEquals(back[i]!.metadata, records[i]!.metadata);
    assertEquals(back[i]!.body, records[i]!.body);
  }
});

Deno.test("encodeRecords() writes group markers with integer times -1 and -2", () => {
  const start: LogRecord = { time: GROUP_START, metadata: { schema: "otlp" }, body: {} };
  const end: LogRecord = { time: GROUP_END, metadata: {}, body: {} };
  const encoded = encodeRecords([start, end]);
  assertEquals(hex(encoded.subarray(0, 3)), "92 92 ff");
  const back = decodeRecords(encoded);
  assert(isGroupMarker(back[0]!) && back[0]!.time.equals(GROUP_START));
  assertEquals(back[0]!.metadata, { schema: "otlp" });
  assert(isGroupMarker(back[1]!) && back[1]!.time.equals(GROUP_END));
});

Deno.test("encodeRecords() refuses a time that does not fit EventTime's uint32 seconds", () => {
  const rec: LogRecord = { time: new EventTime(-5, 0), metadata: {}, body: {} };
  assertThrows(() => encodeRecords([rec]), RangeError, "unsigned 32-bit");
});

Deno.test("decodeRecords() accepts v1 events with an EventTime, integer or float time", () => {
  const v1ext = bytes(0x92, 0xd7, 0x00, 0, 0, 0, 10, 0, 0, 0, 20, 0x81, 0xa1, 0x61, 0x01);
  const v1int = bytes(0x92, 0xce, 0x65, 0x53, 0xf1, 0x00, 0x80);
  const v1float = encodeValue([1.25, { b: 2 }]);
  const recs = decodeRecords(new Uint8Array([...v1ext, ...v1int, ...v1float]));
  assertEquals(recs.map((r) => [r.time.sec, r.time.nsec]), [[10, 20], [1700000000, 0], [
    1,
    250_000_000,
  ]]);
  assertEquals(recs.map((r) => r.body), [{ a: 1 }, {}, { b: 2 }]);
  assertEquals(recs.map((r) => r.metadata), [{}, {}, {}]);
});

Deno.test("decodeRecords() accepts a v2 header with an integer or float time", () => {
  const recs = decodeRecords(encodeValue([[1700000000, { m: 1 }], { a: "x" }]));
  assertEquals([recs[0]!.time.sec, recs[0]!.time.nsec], [1700000000, 0]);
  assertEquals(recs[0]!.metadata, { m: 1 });
});

Deno.test("decodeRecords() names the record index when an event is malformed", () => {
  const good = encodeRecords([{ time: new EventTime(1, 0), metadata: {}, body: {} }]);
  const bad = encodeValue(["x", {}]);
  assertThrows(() => decodeRecords(new Uint8Array([...good, ...bad])), TypeError, "record 1");
  assertThrows(() => decodeRecords(encodeValue([1, 2, 3])), TypeError, "array of 2 items");
  assertThrows(() => decodeRecords(encodeValue([1, "body"])), TypeError, "map body");
});

Deno.test("decodeRecords() rejects an ext 0 payload that is not 8 bytes", () => {
  const ext4 = bytes(0x92, 0xd6, 0x00, 0, 0, 0, 1, 0x80);
  assertThrows(() => decodeRecords(ext4), RangeError, "8-byte");
});

Deno.test("encodeValue() keeps integers exact: int64 beyond 2^53 as bigint, 2^32..2^53 as numbers", () => {
  const big = 2n ** 63n - 1n;
  const neg = -(2n ** 62n);
  const back = decodeValue(encodeValue({ big, neg, mid: 1_700_000_000_123, small: -5 }));
  assertEquals(back, { big, neg, mid: 1_700_000_000_123, small: -5 });
  // 1_700_000_000_123 is written as uint64 0xcf, not as a float64 0xcb.
  assertEquals(hex(encodeValue(1_700_000_000_123)), "cf 00 00 01 8b cf e5 68 7b");
  assertEquals(hex(encodeValue(-3_000_000_000)), "d3 ff ff ff ff 4d 2f a2 00");
  assertEquals(decodeValue(bytes(0xcf, 0, 0, 0, 0, 0, 0, 0, 7)), 7);
});

Deno.test("encodeValue() round-trips EventTime, binary and nested values", () => {
  const v = { t: new EventTime(5, 6), bin: new Uint8Array([0, 255]), list: [null, true, "s"] };
  const back = decodeValue(encodeValue(v)) as typeof v;
  assert(back.t instanceof EventTime && back.t.equals(v.t));
  assertEquals(Array.from(back.bin), [0, 255]);
  assertEquals(back.list, [null, true, "s"]);
});

Deno.test("decodeMulti() yields each concatenated value and survives nested decodes", () => {
  const data = new Uint8Array([...encodeValue(1), ...encodeValue({ a: 2n ** 60n })]);
  const seen: unknown[] = [];
  for (const v of decodeMulti(data)) {
    // A decode while the iterator is open must keep the int64 behaviour.
    seen.push(v, decodeValue(encodeValue(2n ** 60n)));
  }
  assertEquals(seen, [1, 2n ** 60n, { a: 2n ** 60n }, 2n ** 60n]);
});
