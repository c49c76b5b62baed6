import { assertEquals } from "../../../src/testing/assert.ts";
import { ExportReader, type JournalEntry } from "./export_reader.ts";

const enc = new TextEncoder();

function binaryField(name: string, value: Uint8Array): Uint8Array {
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(value.length), true);
  const head = enc.encode(`${name}\n`);
  const out = new Uint8Array(head.length + 8 + value.length + 1);
  out.set(head, 0);
  out.set(len, head.length);
  out.set(value, head.length + 8);
  out[out.length - 1] = 10;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("ExportReader: binary fields (newlines, blank lines and = inside), fed a byte at a time", () => {
  const value = enc.encode("a=b\n\nc");
  const invalid = new Uint8Array([0xff, 0x00, 0x0a, 0x0a]);
  const stream = concat([
    enc.encode("__CURSOR=s=1;i=1\n__REALTIME_TIMESTAMP=1700000000123456\nMESSAGE=x\n"),
    binaryField("DATA", value),
    binaryField("RAW", invalid),
    enc.encode("LAST=y\n\n__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=2\nMESSAGE=two\n\n"),
  ]);
  const whole: JournalEntry[] = [];
  new ExportReader().push(stream, whole);
  const bytewise: JournalEntry[] = [];
  const reader = new ExportReader();
  for (let i = 0; i < stream.length; i++) reader.push(stream.subarray(i, i + 1), bytewise);
  assertEquals(reader.pending, 0);
  for (const out of [whole, bytewise]) {
    assertEquals(out.length, 2);
    assertEquals(out[0]!.cursor, "s=1;i=1");
    assertEquals(out[0]!.realtime, 1700000000123456);
    assertEquals(out[0]!.names, ["MESSAGE", "DATA", "RAW", "LAST"]);
    assertEquals(out[0]!.values, ["x", "a=b\n\nc", invalid, "y"]);
    assertEquals(out[1]!.values, ["two"]);
    assertEquals(out[0]!.bytes + out[1]!.bytes, stream.length);
  }
});

Deno.test("ExportReader: an incomplete entry is held, not given", () => {
  const out: JournalEntry[] = [];
  const reader = new ExportReader();
  reader.push(enc.encode("__CURSOR=c\nMESSAGE=half"), out);
  assertEquals(out.length, 0);
  reader.push(enc.encode("\n\n"), out);
  assertEquals(out.map((e) => e.values), [["half"]]);
});
