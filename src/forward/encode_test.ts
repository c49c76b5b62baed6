import { Decoder } from "@msgpack/msgpack";
import { EventTime } from "../event/event_time.ts";
import type { LogRecord } from "../event/log_record.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { captured, hexBytes, LIMITS } from "./_testing.ts";
import { decodeForwardFrame } from "./decode.ts";
import {
  ackOf,
  chunkId,
  DEFAULT_ENCODING,
  encodeAck,
  encodeForwardLogs,
  encodeForwardMessage,
  encodeForwardMetrics,
  encodeForwardSpans,
  type ForwardEncoding,
} from "./encode.ts";
import { extensionCodec } from "../event/msgpack.ts";
import { encodeCmetrics } from "./cmetrics_encode.ts";
import { decodeCmetrics } from "./cmetrics.ts";
import { decodeCtraces, encodeCtraces } from "./ctraces.ts";
import { msgpackEnd } from "../net/stream/msgpack_scan.ts";

const plain = new Decoder({ extensionCodec, useBigInt64: true });

/** The record Fluent Bit sent in capture `name`, with the metadata of the retaining capture. */
function fluentBitRecord(name: string): LogRecord {
  const withMeta = decodeForwardFrame(captured("retain_metadata"), LIMITS).records[0]!;
  return { ...withMeta, time: decodeForwardFrame(captured(name), LIMITS).records[0]!.time };
}

function asValue(bytes: Uint8Array): unknown {
  return plain.decode(bytes);
}

/** Encodes the record of capture `name` like out_forward with `enc`, and decodes both. */
function sameAsFluentBit(name: string, enc: Partial<ForwardEncoding>): void {
  const record = fluentBitRecord(name);
  const mine = encodeForwardLogs("app.log", [record], { ...DEFAULT_ENCODING, ...enc });
  assertEquals(asValue(mine.bytes), asValue(captured(name)), `capture ${name}`);
}

Deno.test("encodeForwardLogs() writes the message Fluent Bit writes (default, send_options, metadata, integer time)", () => {
  sameAsFluentBit("default", {});
  sameAsFluentBit("send_options", { sendOptions: true });
  sameAsFluentBit("retain_metadata", { retainMetadata: true });
  sameAsFluentBit("time_as_integer", { timeAsInteger: true });
});

Deno.test("encodeForwardLogs() with require_ack_response adds the chunk id as Fluent Bit does", () => {
  const theirBytes = captured("ack");
  const theirs = asValue(theirBytes) as unknown[];
  const record = fluentBitRecord("ack");
  const mine = encodeForwardLogs("app.log", [record], { ...DEFAULT_ENCODING, requireAck: true });
  const ours = asValue(mine.bytes) as unknown[];
  const [o, t] = [ours[2], theirs[2]] as Record<string, unknown>[];
  assertEquals(Object.keys(o!), ["chunk", "size", "fluent_signal"]);
  assertEquals(Object.keys(o!), Object.keys(t!));
  assertEquals({ ...o, chunk: "" }, { ...t, chunk: "" });
  assertEquals(ours.slice(0, 2), theirs.slice(0, 2));
  // Fluent Bit's id is over its own entry bytes (the array after the tag, up to the options)
  const entriesStart = 1 + 8 + 1; // fixarray(3), fixstr "app.log", fixarray(1)
  const optionsStart = theirBytes.indexOf(0xdf);
  assertEquals(t!.chunk, chunkId(theirBytes.subarray(entriesStart, optionsStart)));
  const myOptionsStart = mine.bytes.length - 53; // 83, "chunk" str24, "size" 1, "fluent_signal" 0
  assertEquals(mine.bytes[myOptionsStart], 0x83);
  assertEquals(mine.chunk, chunkId(mine.bytes.subarray(entriesStart, myOptionsStart)));
});

Deno.test("encodeForwardLogs() with compress gzip matches Fluent Bit's options and payload", () => {
  const record = fluentBitRecord("gzip");
  const mine = encodeForwardLogs("app.log", [record], { ...DEFAULT_ENCODING, compress: true });
  const theirs = asValue(captured("gzip")) as unknown[];
  const ours = asValue(mine.bytes) as unknown[];
  assertEquals(ours[2], theirs[2]);
  const a = decodeForwardFrame(mine.bytes, LIMITS);
  const b = decodeForwardFrame(captured("gzip"), LIMITS);
  assertEquals({ ...a, bytes: 0 }, { ...b, bytes: 0 }); // Fluent Bit writes 32-bit headers
});

Deno.test("encodeForwardMessage() writes Message mode with fluent_signal and metadata", () => {
  const record = fluentBitRecord("message_mode");
  const enc = { ...DEFAULT_ENCODING, requireAck: true };
  const mine = asValue(encodeForwardMessage("hi", record, enc).bytes) as unknown[];
  const theirs = asValue(captured("message_mode")) as unknown[];
  const [myOpts, theirOpts] = [mine[3], theirs[3]] as Record<string, unknown>[];
  assertEquals(Object.keys(myOpts!), Object.keys(theirOpts!));
  assertEquals(myOpts!.metadata, theirOpts!.metadata);
  assertEquals((myOpts!.chunk as string).length, 24); // unique, unlike Fluent Bit's constant
  assertEquals(mine.slice(0, 3), theirs.slice(0, 3));
});

Deno.test("chunkId() is out_forward's base64 SHA-512 prefix (reference vector)", () => {
  const entry = hexBytes("92 d7 00 65 53 f1 00 00 00 00 00 81 a1 6b a1 76");
  assertEquals(chunkId(entry), "zs9lharH27Q7ASh+HBN43g==");
  const bytes = encodeForwardLogs("app", [{
    time: new EventTime(1700000000, 0),
    metadata: {},
    body: { k: "v" },
  }], { ...DEFAULT_ENCODING, requireAck: true });
  assertEquals(bytes.chunk, "zs9lharH27Q7ASh+HBN43g==");
  assertEquals(
    encodeAck(bytes.chunk!),
    new Uint8Array([0x81, 0xa3, 0x61, 0x63, 0x6b, 0xb8, ...new TextEncoder().encode(bytes.chunk!)]),
  );
  assertEquals(ackOf(asValue(encodeAck("x"))), "x");
  assertEquals(ackOf({ nack: "x" }), null);
});

Deno.test("encodeForwardMetrics() and encodeForwardSpans() round-trip Fluent Bit's payloads", () => {
  const metrics = decodeForwardFrame(captured("metrics"), LIMITS);
  const m = encodeForwardMetrics("m", metrics.metrics, { ...DEFAULT_ENCODING, compress: true });
  assertEquals(m.skipped, 0);
  const back = decodeForwardFrame(m.bytes, LIMITS);
  assertEquals(back.signal, "metrics");
  assertEquals(back.metrics, metrics.metrics);
  const traces = decodeForwardFrame(captured("traces"), LIMITS);
  const t = encodeForwardSpans("t", traces.spans, { ...DEFAULT_ENCODING, requireAck: true });
  const again = decodeForwardFrame(t.bytes, LIMITS);
  assertEquals(again.signal, "traces");
  assertEquals(again.chunk, t.chunk);
  assertEquals(again.spans, traces.spans);
});

Deno.test("encodeForwardMetrics() and encodeForwardSpans() with fluentd_compat send one Forward-mode event", () => {
  const metrics = decodeForwardFrame(captured("metrics"), LIMITS).metrics;
  const spans = decodeForwardFrame(captured("traces"), LIMITS).spans;
  const enc = { ...DEFAULT_ENCODING, fluentdCompat: true, requireAck: true };
  const before = EventTime.now();
  const cases = [
    {
      m: encodeForwardMetrics("m", metrics, enc),
      payload: encodeCmetrics(metrics).bytes,
      signal: 1,
    },
    { m: encodeForwardSpans("t", spans, enc), payload: encodeCtraces(spans), signal: 2 },
  ];
  for (const { m, payload, signal } of cases) {
    // Fluent Bit 4.2.8: [tag, [[EventTime now, [payload map]]], {chunk, fluent_signal}].
    const [tag, entries, options] = asValue(m.bytes) as [
      string,
      unknown[][],
      Record<string, unknown>,
    ];
    assertEquals(entries.length, 1);
    const [time, maps] = entries[0] as [EventTime, unknown[]];
    assert(time instanceof EventTime && time.toNanos() >= before.toNanos(), "EventTime now");
    assertEquals(maps, [asValue(payload)]);
    assertEquals(options, { chunk: chunkId(payload), fluent_signal: signal });
    assertEquals(m.chunk, chunkId(payload));
    assertEquals(tag, signal === 1 ? "m" : "t");
    // Fluent Bit's in_forward, like sluice's, takes it for a log entry whose record is no map.
    assertEquals(decodeForwardFrame(m.bytes, LIMITS).rejected, 1);
  }
  // With gzip, Fluent Bit ignores fluentd_compat: the payload goes as a compressed bin.
  const gz = encodeForwardMetrics("m", metrics, { ...enc, compress: true });
  assertEquals(decodeForwardFrame(gz.bytes, LIMITS).metrics, metrics);
});

/** The payload map inside a fluentd_compat message `[tag, [[time, [map]]], options]`. */
function compatPayload(bytes: Uint8Array): Uint8Array {
  let at = msgpackEnd(bytes, 1); // past fixarray(3) and the tag
  assertEquals([bytes[at], bytes[at + 1]], [0x91, 0x92]);
  at = msgpackEnd(bytes, at + 2); // past the EventTime
  assertEquals(bytes[at], 0x91);
  return bytes.subarray(at + 1, msgpackEnd(bytes, at + 1));
}

/** The message with its time and payload blanked, to compare shapes. */
function compatShape(bytes: Uint8Array): unknown {
  const [tag, [[time, maps]], options] = asValue(bytes) as [
    string,
    [[unknown, unknown[]]],
    unknown,
  ];
  assert(time instanceof EventTime, "an EventTime");
  return [tag, maps.length, options];
}

Deno.test("fluentd_compat messages have the shape of Fluent Bit 4.2.8's captures", () => {
  for (const [name, signal] of [["metrics", 1], ["traces", 2]] as const) {
    const theirs = captured(`${name}_fluentd_compat`);
    const payload = compatPayload(theirs);
    const enc = { ...DEFAULT_ENCODING, fluentdCompat: true };
    const tag = name === "metrics" ? "m" : "t";
    const ours = signal === 1
      ? encodeForwardMetrics(tag, decodeCmetrics(payload), enc).bytes
      : encodeForwardSpans(tag, decodeCtraces(payload), enc).bytes;
    assertEquals(compatShape(ours), compatShape(theirs), name);
    assertEquals(compatShape(theirs), [tag, 1, { fluent_signal: signal }]);
    const mine = compatPayload(ours);
    const items = signal === 1 ? decodeCmetrics(payload) : decodeCtraces(payload);
    assert(items.length > 0, `the ${name} capture holds ${name}`);
    if (signal === 1) assertEquals(decodeCmetrics(mine), decodeCmetrics(payload));
    else assertEquals(decodeCtraces(mine), decodeCtraces(payload));
  }
});
