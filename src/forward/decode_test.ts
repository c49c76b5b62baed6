import { EventTime } from "../event/event_time.ts";
import { encodeValue } from "../event/msgpack.ts";
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { captured, eventTimeAt, firstEventTime, hexBytes, LIMITS } from "./_testing.ts";
import { decodeForwardFrame, decodeForwardMessage } from "./decode.ts";
import { ForwardError } from "./errors.ts";
import { gzip } from "./gzip.ts";

function reasonOf(fn: () => unknown): string {
  return (assertThrows(fn, ForwardError) as ForwardError).reason;
}

Deno.test("decodeForwardFrame() reads Fluent Bit's default Forward mode capture to the nanosecond", () => {
  const bytes = captured("default");
  const m = decodeForwardFrame(bytes, LIMITS);
  assertEquals(m.mode, "forward");
  assertEquals(m.tag, "app.log");
  assertEquals(m.signal, "logs");
  assertEquals(m.chunk, undefined);
  assertEquals(m.records.length, 1);
  assertEquals(m.records[0]!.body, { msg: "hi", n: 1 });
  assertEquals(m.records[0]!.metadata, {}); // out_forward drops metadata by default
  const t = eventTimeAt(bytes, firstEventTime(bytes));
  assertEquals(t.sec >= 1700000000, true);
  assert(m.records[0]!.time.equals(t), `time ${m.records[0]!.time.nsec} != ${t.nsec}`);
});

Deno.test("decodeForwardFrame() reads the gzip capture as CompressedPackedForward", () => {
  const m = decodeForwardFrame(captured("gzip"), LIMITS);
  assertEquals(m.mode, "compressed");
  assertEquals(m.records.map((r) => r.body), [{ msg: "hi", n: 1 }]);
});

Deno.test("decodeForwardFrame() returns the chunk id of the require_ack_response capture", () => {
  const m = decodeForwardFrame(captured("ack"), LIMITS);
  assertEquals(m.mode, "forward");
  assertEquals(m.chunk?.length, 24);
  assertEquals(m.records.length, 1);
});

Deno.test("decodeForwardFrame() keeps metadata of v2 entries (retain_metadata_in_forward_mode)", () => {
  const m = decodeForwardFrame(captured("retain_metadata"), LIMITS);
  assertEquals(m.records[0]!.metadata, { m: "x" });
  assertEquals(m.records[0]!.body, { msg: "hi", n: 1 });
});

Deno.test("decodeForwardFrame() reads Message mode with its metadata option and fixed chunk id", () => {
  const m = decodeForwardFrame(captured("message_mode"), LIMITS);
  assertEquals(m.mode, "message");
  assertEquals(m.tag, "hi");
  assertEquals(m.records[0]!.metadata, { m: "x" });
  assertEquals(m.chunk, "z4PhNX7vuL3xVChQ1m2ABw==");
});

Deno.test("decodeForwardFrame() reads integer times (time_as_integer)", () => {
  const m = decodeForwardFrame(captured("time_as_integer"), LIMITS);
  assertEquals(m.records[0]!.time.nsec, 0);
  assert(m.records[0]!.time.sec >= 1700000000);
});

Deno.test("decodeForwardFrame() decodes the reference Message mode vector", () => {
  const bytes = hexBytes(
    "93 a7 61 70 70 2e 6c 6f 67 d7 00 65 53 f1 00 07 5b cd 15 81 a3 6d 73 67 a2 68 69",
  );
  const m = decodeForwardFrame(bytes, LIMITS);
  assertEquals(m.tag, "app.log");
  assertEquals(m.records[0]!.time, new EventTime(1700000000, 123456789));
  assertEquals(m.records[0]!.body, { msg: "hi" });
});

Deno.test("decodeForwardMessage() accepts PackedForward as str or bin, float and v2 entries", () => {
  const entries = [
    encodeValue([new EventTime(5, 6), { a: 1 }]).slice(),
    encodeValue([1.5, { b: 2 }]).slice(),
    encodeValue([[new EventTime(7, 0), { k: "m" }], { c: 3 }]).slice(),
  ];
  const packed = new Uint8Array(entries.reduce((n, e) => n + e.length, 0));
  let off = 0;
  for (const e of entries) packed.set(e, (off += e.length) - e.length);
  const m = decodeForwardMessage(["t", packed, { size: 3 }], LIMITS);
  assertEquals(m.mode, "packed");
  assertEquals(m.records.map((r) => r.body), [{ a: 1 }, { b: 2 }, { c: 3 }]);
  assertEquals(m.records[1]!.time, new EventTime(1, 500_000_000));
  assertEquals(m.records[2]!.metadata, { k: "m" });
});

Deno.test("decodeForwardFrame() reads a PackedForward str payload as raw bytes", () => {
  // ["t", str(entry [EventTime(1, 0xe9), {"x": "é"}])]: the EventTime bytes are not UTF-8.
  const entry = encodeValue([new EventTime(1, 0xe9), { x: "é" }]).slice();
  const frame = new Uint8Array([0x92, 0xa1, 0x74, 0xd9, entry.length, ...entry]);
  const m = decodeForwardFrame(frame, LIMITS);
  assertEquals(m.mode, "packed");
  assertEquals(m.records[0]!.time, new EventTime(1, 0xe9));
  assertEquals(m.records[0]!.body, { x: "é" });
});

Deno.test("decodeForwardMessage() reads concatenated gzip members", () => {
  const a = gzip(encodeValue([1, { n: 1 }]).slice());
  const b = gzip(encodeValue([2, { n: 2 }]).slice());
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  const m = decodeForwardMessage(["t", both, { compressed: "gzip" }], LIMITS);
  assertEquals(m.records.map((r) => r.body.n), [1, 2]);
});

Deno.test("decodeForwardMessage() skips bad entries, keeps the rest and counts them", () => {
  const m = decodeForwardMessage(
    ["t", [[1, { ok: 1 }], [1, "not a map"], [-5, {}], [2, { ok: 2 }]], { chunk: "c" }],
    LIMITS,
  );
  assertEquals(m.records.map((r) => r.body.ok), [1, 2]);
  assertEquals(m.rejected, 2);
  assertEquals(m.chunk, "c");
  assert(m.rejectReason.includes("map"));
});

Deno.test("decodeForwardMessage() drops Fluent Bit group markers without counting them", () => {
  const m = decodeForwardMessage(
    ["t", [[[-1, {}], {}], [[1, {}], { a: 1 }], [[-2, {}], {}]]],
    LIMITS,
  );
  assertEquals(m.records.length, 1);
  assertEquals(m.rejected, 0);
});

Deno.test("decodeForwardMessage() refuses wrong shapes with typed reasons", () => {
  assertEquals(reasonOf(() => decodeForwardMessage(null, LIMITS)), "not_array");
  assertEquals(reasonOf(() => decodeForwardMessage(["t"], LIMITS)), "bad_mode");
  assertEquals(reasonOf(() => decodeForwardMessage([1, []], LIMITS)), "bad_tag");
  assertEquals(reasonOf(() => decodeForwardMessage(["t", 1], LIMITS)), "bad_mode");
  assertEquals(reasonOf(() => decodeForwardMessage(["t", true, {}], LIMITS)), "bad_time");
  assertEquals(reasonOf(() => decodeForwardMessage(["t", 1, "x"], LIMITS)), "bad_record");
  assertEquals(reasonOf(() => decodeForwardMessage(["t", [], 5], LIMITS)), "bad_option");
  assertEquals(reasonOf(() => decodeForwardMessage(["t", [], { chunk: 1 }], LIMITS)), "bad_option");
  const bin = new Uint8Array([0x90]);
  assertEquals(
    reasonOf(() => decodeForwardMessage(["t", bin, { fluent_signal: 7 }], LIMITS)),
    "bad_signal",
  );
  assertEquals(
    reasonOf(() => decodeForwardMessage(["t", bin, { compressed: "gzip" }], LIMITS)),
    "bad_gzip",
  );
  assertEquals(
    reasonOf(() => decodeForwardMessage(["t", new Uint8Array([0x92, 0x01]), {}], LIMITS)),
    "truncated",
  );
});

Deno.test("decodeForwardMessage() refuses a payload that expands past the limit", () => {
  const big = gzip(new Uint8Array(2 << 20));
  const e = assertThrows(
    () => decodeForwardMessage(["t", big, { compressed: "gzip" }], LIMITS),
    ForwardError,
  ) as ForwardError;
  assertEquals(e.reason, "too_large");
});

Deno.test("decodeForwardFrame() refuses truncated frames and huge declared lengths before allocating", () => {
  const full = captured("default");
  assertEquals(
    reasonOf(() => decodeForwardFrame(full.subarray(0, full.length - 3), LIMITS)),
    "truncated",
  );
  // ["t", array32 of 4 billion entries] in 12 bytes: refused by the scan, nothing allocated
  const huge = hexBytes("92 a1 74 dd ff ff ff ff 01 02 03 04");
  assertEquals(reasonOf(() => decodeForwardFrame(huge, LIMITS)), "truncated");
  const hugeBin = hexBytes("93 a1 74 c6 7f ff ff ff 00");
  assertEquals(reasonOf(() => decodeForwardFrame(hugeBin, LIMITS)), "truncated");
  assertEquals(reasonOf(() => decodeForwardFrame(hexBytes("92 a1 74 c1"), LIMITS)), "bad_msgpack");
  const badTime = hexBytes("93 a1 74 d6 00 00 00 00 01 80"); // ext 0 of 4 bytes
  assertEquals(reasonOf(() => decodeForwardFrame(badTime, LIMITS)), "bad_time");
});
