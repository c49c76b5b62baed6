import { assertEquals } from "../../../src/testing/assert.ts";
import { type Codec, genericCodec, UTF16BE, UTF16LE, UTF8 } from "./encoding.ts";
import { LineReader, type LineReaderOptions } from "./line_reader.ts";

interface Line {
  text: string;
  start: number;
  end: number;
}

const enc = new TextEncoder();

function reader(options: Partial<LineReaderOptions> = {}, start = 0): LineReader {
  return new LineReader({
    codec: UTF8,
    maxLine: 0,
    longLines: "keep",
    skipEmpty: false,
    offsets: true,
    ...options,
  }, start);
}

/** Feeds `pieces` as successive reads, through a buffer as the input does. */
function run(r: LineReader, pieces: (string | Uint8Array)[], finish = false): Line[] {
  const lines: Line[] = [];
  const sink = {
    line: (text: string, start: number, end: number) => lines.push({ text, start, end }),
  };
  for (const piece of pieces) {
    const data = typeof piece === "string" ? enc.encode(piece) : piece;
    const buf = new Uint8Array(r.pendingBytes + data.length);
    const held = r.copyPending(buf);
    buf.set(data, held);
    r.feed(buf, sink);
  }
  if (finish) r.finish(sink);
  return lines;
}

function texts(lines: Line[]): string[] {
  return lines.map((l) => l.text);
}

Deno.test("LineReader cuts LF and CRLF lines with their byte offsets", () => {
  const r = reader();
  const lines = run(r, ["one\ntwo\r\nthree\n"]);
  assertEquals(lines, [
    { text: "one", start: 0, end: 4 },
    { text: "two", start: 4, end: 9 },
    { text: "three", start: 9, end: 15 },
  ]);
  assertEquals(r.completeEnd, 15);
});

Deno.test("LineReader holds a partial last line until its newline arrives", () => {
  const r = reader();
  assertEquals(texts(run(r, ["a\nbe"])), ["a"]);
  assertEquals(r.completeEnd, 2);
  assertEquals(r.nextOffset, 4);
  assertEquals(run(r, ["ta\n"]), [{ text: "beta", start: 2, end: 7 }]);
  assertEquals(r.completeEnd, 7);
});

Deno.test("LineReader.finish emits the held partial line (exit_on_eof, shutdown)", () => {
  const r = reader();
  assertEquals(run(r, ["x\nlast"], true), [
    { text: "x", start: 0, end: 2 },
    { text: "last", start: 2, end: 6 },
  ]);
  assertEquals(r.completeEnd, 6);
});

Deno.test("LineReader keeps empty lines unless skip_empty_lines (Fluent Bit issue 3943)", () => {
  assertEquals(texts(run(reader(), ["bbb\r\n\n"])), ["bbb", ""]);
  assertEquals(texts(run(reader({ skipEmpty: true }), ["bbb\r\n\n\r\nccc\n"])), ["bbb", "ccc"]);
  assertEquals(texts(run(reader({ offsets: false, skipEmpty: true }), ["a\n\n\r\nb\n"])), [
    "a",
    "b",
  ]);
});

Deno.test("LineReader gives the same lines on the fast path (no offsets)", () => {
  const lines = run(reader({ offsets: false }), ["one\ntw", "o\r\n", "\nfour\n"]);
  assertEquals(lines.map((l) => [l.text, l.start]), [["one", -1], ["two", -1], ["", -1], [
    "four",
    -1,
  ]]);
});

Deno.test("LineReader skips a UTF-8 byte order mark at offset 0 only", () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a]);
  assertEquals(run(reader(), [bom]), [{ text: "a", start: 3, end: 5 }]);
  const mid = reader({}, 10);
  assertEquals(texts(run(mid, [bom])), ["\uFEFFa"]);
});

Deno.test("LineReader skips the NUL bytes copytruncate leaves after a reset", () => {
  const r = reader();
  run(r, ["old line\n"]);
  r.reset(0, true);
  const data = new Uint8Array([0, 0, 0, 0, ...enc.encode("new\n")]);
  assertEquals(run(r, [data]), [{ text: "new", start: 4, end: 8 }]);
});

Deno.test("LineReader never stops on invalid UTF-8: bad bytes become U+FFFD", () => {
  const bad = new Uint8Array([0x61, 0xff, 0xfe, 0x62, 0x0a, 0xe2, 0x28, 0x0a, 0x63, 0xe2, 0x0a]);
  assertEquals(texts(run(reader(), [bad])), ["a\uFFFD\uFFFDb", "\uFFFD(", "c\uFFFD"]);
});

Deno.test("LineReader does not split a multi-byte character across reads", () => {
  const bytes = enc.encode("héllo wörld\n");
  const lines = run(reader(), [bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)]);
  assertEquals(lines, [{ text: "héllo wörld", start: 0, end: bytes.length }]);
});

Deno.test("LineReader skips lines longer than buffer_max_size and counts them", () => {
  let skipped = 0;
  const r = reader({ maxLine: 8, longLines: "skip", onLong: () => skipped++ });
  const lines = run(r, ["short\nthis line is too long\nok\n"]);
  assertEquals(texts(lines), ["short", "ok"]);
  assertEquals(lines[1]!.start, 28);
  assertEquals(skipped, 1);
});

Deno.test("LineReader skips a long line spread over many reads, then goes on", () => {
  let skipped = 0;
  const r = reader({ maxLine: 10, longLines: "skip", onLong: () => skipped++ });
  const long = "x".repeat(25);
  const lines = run(r, [
    "before\n",
    long.slice(0, 12),
    long.slice(12, 20),
    long.slice(20) + "\nafter\n",
  ]);
  assertEquals(texts(lines), ["before", "after"]);
  assertEquals(lines[1]!.start, 7 + 26);
  assertEquals(skipped, 1);
});

Deno.test("LineReader holds no commit past a long line being skipped", () => {
  const r = reader({ maxLine: 4, longLines: "skip" });
  run(r, ["ok\n", "abcdefgh"]);
  assertEquals(r.completeEnd, 3);
  assertEquals(r.nextOffset, 11);
});

Deno.test("LineReader truncates long lines at a character boundary", () => {
  let truncated = 0;
  const r = reader({ maxLine: 7, longLines: "truncate", onLong: () => truncated++ });
  // "aaaaaé" is 7 bytes; "aaaaaaé" would cut é (2 bytes) in half at 7.
  const lines = run(r, ["aaaaaaébbb\nshort\n", "cccccccccccc", "cc\n"]);
  assertEquals(texts(lines), ["aaaaaa", "short", "ccccccc"]);
  assertEquals(lines[2]!.start, 18);
  assertEquals(lines[2]!.end, 33);
  assertEquals(truncated, 2);
});

Deno.test("LineReader keeps long lines whole by default", () => {
  const long = "y".repeat(100);
  assertEquals(texts(run(reader({ maxLine: 10 }), [long.slice(0, 50), long.slice(50) + "\n"])), [
    long,
  ]);
});

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  let at = 0;
  const put = (u: number) => {
    out[at++] = littleEndian ? u & 0xff : u >> 8;
    out[at++] = littleEndian ? u >> 8 : u & 0xff;
  };
  if (bom) put(0xfeff);
  for (let i = 0; i < text.length; i++) put(text.charCodeAt(i));
  return out;
}

for (const [name, codec, le] of [["LE", UTF16LE, true], ["BE", UTF16BE, false]] as const) {
  Deno.test(`LineReader reads UTF-16${name} with a BOM, CRLF and emoji, across reads`, () => {
    const bytes = utf16("hé 🏴\r\n\u0a0a line\n", le, true);
    const r = reader({ codec: codec as Codec });
    const lines = run(r, [bytes.subarray(0, 7), bytes.subarray(7)]);
    assertEquals(lines, [
      { text: "hé 🏴", start: 2, end: 16 },
      { text: "\u0a0a line", start: 16, end: 30 },
    ]);
  });
}

Deno.test("LineReader decodes legacy encodings (generic.encoding)", () => {
  const sjis = new Uint8Array([0x82, 0xb1, 0x82, 0xf1, 0x0a, 0x93, 0xfa, 0x96, 0x7b, 0x0a]);
  assertEquals(texts(run(reader({ codec: genericCodec("ShiftJIS") }), [sjis])), ["こん", "日本"]);
  const win1251 = new Uint8Array([0xcf, 0xf0, 0xe8, 0x0d, 0x0a]);
  assertEquals(texts(run(reader({ codec: genericCodec("win1251") }), [win1251])), ["При"]);
});
