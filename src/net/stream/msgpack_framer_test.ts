import { encodeValue } from "../../event/msgpack.ts";
import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { MsgpackFramer, msgpackFramer } from "./msgpack_framer.ts";

function feed(f: MsgpackFramer, bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  f.space(bytes.length).set(bytes);
  f.commit(bytes.length);
  for (let frame = f.next(); frame; frame = f.next()) out.push(frame);
  return out;
}

Deno.test("MsgpackFramer cuts values split at every byte boundary", () => {
  const values = [["t", [[1, { a: "x".repeat(300) }]]], ["u", 2, { b: 1 }], "z".repeat(70_000)];
  const stream = new Uint8Array(values.flatMap((v) => [...encodeValue(v).slice()]));
  for (const step of [1, 7, 4096, stream.length]) {
    const f = new MsgpackFramer({ maxFrameBytes: 1 << 20, initialBytes: 16 });
    const frames: Uint8Array[] = [];
    for (let at = 0; at < stream.length; at += step) {
      frames.push(...feed(f, stream.subarray(at, Math.min(at + step, stream.length))));
    }
    assertEquals(
      frames.map((b) => b.length),
      values.map((v) => encodeValue(v).length),
      `step ${step}`,
    );
    assertEquals(f.buffered, 0);
  }
});

Deno.test("MsgpackFramer refuses a value over the limit from its header", () => {
  const f = new MsgpackFramer({ maxFrameBytes: 1000 });
  // bin32 declaring 1 GB: refused after 5 bytes, nothing of it buffered or allocated
  assertThrows(() => feed(f, new Uint8Array([0xc6, 0x40, 0, 0, 0])), RangeError, "exceed limit");
  const g = new MsgpackFramer({ maxFrameBytes: 10 });
  assertThrows(
    () => feed(g, new Uint8Array([0x9f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])),
    RangeError,
  );
  const h = new MsgpackFramer({ maxFrameBytes: 10 });
  assertThrows(() => feed(h, new Uint8Array([0x01, 0xc1])), SyntaxError, "never used");
});

Deno.test("msgpackFramer() cuts concatenated values across single-byte reads", () => {
  const a = encodeValue({ k: "v", n: 70000 });
  const b = encodeValue(["tag", [[1, { m: 1 }]]]);
  const all = new Uint8Array([...a, ...b]);
  const out: Uint8Array[] = [];
  const framer = msgpackFramer({ maxBytes: 1000, onOversize() {} });
  for (let i = 0; i < all.length; i++) framer.push(all.subarray(i, i + 1), out);
  assertEquals(out.map((f) => Array.from(f)), [Array.from(a), Array.from(b)]);
  assertEquals(framer.end(), null);
});

Deno.test("msgpackFramer() reports and throws when a value outgrows the limit", () => {
  const sizes: number[] = [];
  const framer = msgpackFramer({ maxBytes: 10, onOversize: (_s, n) => sizes.push(n) });
  const value = encodeValue("y".repeat(50)).subarray(0, 20);
  assertThrows(() => framer.push(value, []), RangeError, "exceed limit");
  assertEquals(sizes, [20]);
});
