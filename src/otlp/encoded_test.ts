import { assert, assertEquals } from "../testing/assert.ts";
import { hexSpan } from "../testing/spans.ts";
import { encodedOf, forgetEncoded } from "./encoded.ts";
import { decodeTraces, encodeTraces } from "./mod.ts";
import { LEN, VARINT } from "./proto_common.ts";
import { ProtoWriter } from "./proto_writer.ts";

const spans = [
  hexSpan("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", { name: "GET /" }),
  hexSpan("0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7", { name: "db" }),
];

Deno.test("decodeTraces() with ownsBody: untouched spans are encoded as the bytes they came in", () => {
  const body = encodeTraces(spans, "protobuf");
  const decoded = decodeTraces(body, "protobuf", { ownsBody: true });
  assert(encodedOf(decoded[0]!) !== undefined);
  assertEquals(encodeTraces(decoded, "protobuf"), body);
});

Deno.test("decodeTraces() with ownsBody keeps a span's unknown fields when passing it on", () => {
  const w = new ProtoWriter();
  w.tag(1, LEN).fork().tag(2, LEN).fork().tag(2, LEN).fork(); // resourceSpans.scopeSpans.spans
  w.tag(1, LEN).bytes(new Uint8Array(16).fill(7)).tag(2, LEN).bytes(new Uint8Array(8).fill(9));
  w.tag(5, LEN).string("op").tag(99, VARINT).uint32(7); // field 99: unknown to sluice
  w.join().join().join();
  const decoded = decodeTraces(w.finish(), "protobuf", { ownsBody: true });
  assertEquals(decoded.map((s) => s.name), ["op"]);
  const out = encodeTraces(decoded, "protobuf");
  const unknown = [0x98, 0x06, 0x07]; // tag (99 << 3 | 0) as a varint, then 7
  assert(out.some((_, i) => unknown.every((b, j) => out[i + j] === b)), "field 99 passed on");
});

Deno.test("a span changed after forgetEncoded() is encoded from its fields", () => {
  const body = encodeTraces(spans, "protobuf");
  const decoded = decodeTraces(body, "protobuf", { ownsBody: true });
  forgetEncoded(decoded[1]!);
  decoded[1]!.name = "renamed";
  assertEquals(encodedOf(decoded[1]!), undefined);
  const again = decodeTraces(encodeTraces(decoded, "protobuf"), "protobuf");
  assertEquals(again.map((s) => s.name), ["GET /", "renamed"]);
});

Deno.test("decodeTraces() without ownsBody remembers nothing", () => {
  const decoded = decodeTraces(encodeTraces(spans, "protobuf"), "protobuf");
  assertEquals(decoded.map((s) => encodedOf(s)), [undefined, undefined]);
});

Deno.test("a structured clone of a decoded span remembers nothing; the span stays deep-equal", () => {
  const [decoded] = decodeTraces(encodeTraces([spans[0]!], "protobuf"), "protobuf", {
    ownsBody: true,
  });
  assert(encodedOf(decoded!) !== undefined);
  assertEquals(encodedOf(structuredClone(decoded!)), undefined);
  assertEquals(decoded, decodeTraces(encodeTraces([spans[0]!], "protobuf"), "protobuf")[0]);
});
