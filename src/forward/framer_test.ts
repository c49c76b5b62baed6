import { encodeValue } from "../event/msgpack.ts";
import { assertEquals, assertThrows } from "../testing/assert.ts";
import { ForwardError } from "./errors.ts";
import { MsgpackFramer } from "./framer.ts";

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
  const e = assertThrows(() => feed(f, new Uint8Array([0xc6, 0x40, 0, 0, 0])), ForwardError);
  assertEquals((e as ForwardError).reason, "too_large");
  const g = new MsgpackFramer({ maxFrameBytes: 10 });
  assertThrows(
    () => feed(g, new Uint8Array([0x9f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])),
    ForwardError,
  );
});
