import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../testing/assert.ts";
import { jsonBytes } from "./_test_util.ts";
import {
  decodeMetrics,
  decodeTraces,
  encodeTraces,
  hexId,
  metricData,
  OtlpDecodeError,
} from "./mod.ts";

function request(build: (w: BinaryWriter) => void): Uint8Array {
  const w = new BinaryWriter();
  build(w);
  return w.finish();
}

Deno.test("decodeTraces() copies IDs out of the body, so reusing the buffer is safe", () => {
  const json = {
    resourceSpans: [{
      scopeSpans: [{
        spans: [{
          traceId: "0102030405060708090a0b0c0d0e0f10",
          spanId: "1112131415161718",
          name: "a",
        }],
      }],
    }],
  };
  const body = encodeTraces(decodeTraces(jsonBytes(json), "json"), "protobuf");
  const [span] = decodeTraces(body, "protobuf");
  assert(span !== undefined);
  body.fill(0);
  assertEquals(hexId(span.traceId), "0102030405060708090a0b0c0d0e0f10");
  assertEquals(hexId(span.spanId), "1112131415161718");
  assertEquals(span.name, "a");
});

Deno.test("decodeTraces() reads short, repeated and non-ASCII strings correctly", () => {
  const names = [
    "héllo",
    "\uFEFFbom",
    "日本語",
    "a",
    "ab",
    "ba",
    "😀",
    "x".repeat(32),
    "\uFEFF" + "y".repeat(40),
  ];
  const attrs: Record<string, string> = {};
  for (let i = 0; i < 500; i++) attrs[`k${i}`] = names[i % names.length]! + (i % 7);
  Object.defineProperty(attrs, "__proto__", { value: "own key", enumerable: true });
  const body = request((w) => {
    w.tag(1, 2).fork().tag(2, 2).fork();
    for (let n = 0; n < 3; n++) {
      w.tag(2, 2).fork().tag(5, 2).string(names[n]!);
      for (const [k, v] of Object.entries(attrs)) {
        w.tag(9, 2).fork().tag(1, 2).string(k).tag(2, 2).fork().tag(1, 2).string(v).join().join();
      }
      w.join();
    }
    w.join().join();
  });
  const spans = decodeTraces(body, "protobuf");
  assertEquals(spans.map((s) => s.name), names.slice(0, 3)); // a leading U+FEFF is text, kept
  for (const s of spans) {
    assertEquals(Object.getPrototypeOf(s.attributes), Object.prototype);
    assertEquals(Object.entries(s.attributes), Object.entries(attrs));
    assertEquals(Object.getOwnPropertyDescriptor(s.attributes, "__proto__")?.value, "own key");
  }
});

Deno.test("decodeMetrics() reads packed and unpacked repeated scalars alike", () => {
  const body = request((w) => {
    w.tag(1, 2).fork().tag(2, 2).fork().tag(2, 2).fork().tag(1, 2).string("h");
    w.tag(9, 2).fork().tag(1, 2).fork();
    w.tag(6, 1).fixed64(1n).tag(6, 1).fixed64(2n); // bucket_counts, unpacked
    w.tag(7, 2).fork().double(0.5).join(); // explicit_bounds, packed
    w.join().join();
    w.tag(10, 2).fork().tag(1, 2).fork().tag(8, 2).fork();
    w.tag(2, 0).uint64(3n).tag(2, 0).uint64(4n); // positive.bucket_counts, unpacked varints
    w.join().join().join();
    w.join().join().join();
  });
  const [m] = decodeMetrics(body, "protobuf");
  const d = metricData(m!);
  if (!("exponentialHistogram" in d)) throw new Error("expected the last data field to win");
  assertEquals(d.exponentialHistogram.dataPoints[0]!.positive.bucketCounts, [3n, 4n]);
  const h = request((w) => {
    w.tag(1, 2).fork().tag(2, 2).fork().tag(2, 2).fork().tag(9, 2).fork().tag(1, 2).fork();
    w.tag(6, 1).fixed64(1n).tag(6, 1).fixed64(2n).tag(7, 2).fork().double(0.5).join();
    w.join().join().join().join().join();
  });
  const hd = metricData(decodeMetrics(h, "protobuf")[0]!);
  if (!("histogram" in hd)) throw new Error("expected a histogram");
  assertEquals(hd.histogram.dataPoints[0]!.bucketCounts, [1n, 2n]);
  assertEquals(hd.histogram.dataPoints[0]!.explicitBounds, [0.5]);
});

Deno.test("decodeTraces() rejects malformed protobuf with the place it broke", () => {
  // A ScopeSpans whose span claims more bytes than its parent holds.
  const overrun = request((w) => {
    w.tag(1, 2).fork().tag(2, 2).fork();
    w.tag(2, 2).uint32(50).raw(new Uint8Array(3));
    w.join().join();
  });
  const err = assertThrows(() => decodeTraces(overrun, "protobuf"), OtlpDecodeError);
  assertStringIncludes(err.message, "resourceSpans[0].scopeSpans[0]");
  assertStringIncludes(err.message, "invalid protobuf");
  assertThrows(
    () => decodeTraces(new Uint8Array([0x00, 0x01]), "protobuf"),
    OtlpDecodeError,
    "field number 0",
  );
  assertThrows(() => decodeTraces(new Uint8Array([0x0a, 0x02, 0x12]), "protobuf"), OtlpDecodeError);
  const badStatus = request((w) => {
    w.tag(1, 2).fork().tag(2, 2).fork().tag(2, 2).fork().tag(15, 2).fork().tag(3, 0).int32(9);
    w.join().join().join().join();
  });
  const st = assertThrows(() => decodeTraces(badStatus, "protobuf"), OtlpDecodeError);
  assertEquals(
    st.message,
    "resourceSpans[0].scopeSpans[0].spans[0]: invalid protobuf: status.code: expected 0 (unset), " +
      "1 (ok) or 2 (error), got 9",
  );
});

Deno.test("decodeTraces() of an empty body is an empty request in both formats", () => {
  assertEquals(decodeTraces(new Uint8Array(0), "protobuf"), []);
  assertEquals(decodeTraces(jsonBytes({}), "json"), []);
  assertThrows(
    () => decodeTraces(jsonBytes([]), "json"),
    OtlpDecodeError,
    "expected a JSON object",
  );
});
