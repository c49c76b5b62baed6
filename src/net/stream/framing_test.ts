import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { type Framer, type FramerHooks, separatorFramer, unescapeSeparator } from "./framing.ts";
import { jsonFramer } from "./json_framer.ts";
import { octetCountingFramer } from "./octet_framer.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function hooks(maxBytes: number): FramerHooks & { skipped: [string, number][] } {
  const skipped: [string, number][] = [];
  return { maxBytes, skipped, onOversize: (s, n) => skipped.push([dec.decode(s), n]) };
}

/** Feeds `pieces` one read each; returns the frames as text (the end tail last, marked). */
function run(framer: Framer, pieces: (string | Uint8Array)[]): string[] {
  const out: Uint8Array[] = [];
  for (const p of pieces) framer.push(typeof p === "string" ? enc.encode(p) : p, out);
  const tail = framer.end();
  const frames = out.map((f) => dec.decode(f));
  if (tail) frames.push(`END:${dec.decode(tail)}`);
  return frames;
}

Deno.test("separatorFramer() cuts lines across reads and keeps the tail for end()", () => {
  const h = hooks(100);
  assertEquals(run(separatorFramer(enc.encode("\n"), h), ["a\nb", "c\n\nd"]), ["a", "bc", "END:d"]);
});

Deno.test("separatorFramer() finds a multi-byte separator split across reads", () => {
  const h = hooks(100);
  const framer = separatorFramer(unescapeSeparator("\\r\\n"), h);
  assertEquals(run(framer, ["a\r", "\nb\r\nc\r", "\n"]), ["a", "b", "c"]);
});

Deno.test("separatorFramer() skips a frame over the limit to the next separator, once", () => {
  const h = hooks(5);
  const framer = separatorFramer(enc.encode("\n"), h);
  assertEquals(run(framer, ["ok\n0123", "456789", "abc\nnext\n", "toolong!\nz\n"]), [
    "ok",
    "next",
    "z",
  ]);
  assertEquals(h.skipped.map(([, n]) => n), [13, 8]);
  assertEquals(h.skipped[0]![0].startsWith("0123"), true);
});

Deno.test("octetCountingFramer() reads LEN SP MSG across reads and skips oversize by length", () => {
  const h = hooks(10);
  const framer = octetCountingFramer(h);
  const long = "x".repeat(20);
  assertEquals(
    run(framer, ["5 hel", "lo3 abc\n", `20 ${long.slice(0, 7)}`, `${long.slice(7)}2 ok`]),
    [
      "hello",
      "abc",
      "ok",
    ],
  );
  assertEquals(h.skipped.map(([, n]) => n), [20]);
});

Deno.test("octetCountingFramer() throws on a missing length", () => {
  const framer = octetCountingFramer(hooks(10));
  assertThrows(() => framer.push(enc.encode("hello"), []), SyntaxError, "LEN SP MSG");
});

Deno.test("jsonFramer() splits concatenated values, arrays whole, text by line", () => {
  const framer = jsonFramer(hooks(100));
  assertEquals(run(framer, ['{"a":1}{"b":"}{', '"}\n[1,', "2]\nplain text\n", '{"c":"x\\"}"}']), [
    '{"a":1}',
    '{"b":"}{"}',
    "[1,2]",
    "plain text",
    '{"c":"x\\"}"}',
  ]);
});

Deno.test("jsonFramer() ends a frame at a line break inside a string, the next line clean", () => {
  const framer = jsonFramer(hooks(100));
  assertEquals(run(framer, ['{"a":"cut\n{"b":2}\n']), ['{"a":"cut', '{"b":2}']);
});

Deno.test("jsonFramer() skips a value over the limit to the next line break", () => {
  const h = hooks(10);
  const framer = jsonFramer(h);
  assertEquals(run(framer, ['{"a":1}\n{"long":"', 'xxxxxxxxxxxxxxxxx"}\n{"b":2}\n']), [
    '{"a":1}',
    '{"b":2}',
  ]);
  assertEquals(h.skipped.length, 1);
});

Deno.test("jsonFramer() keeps an escape split across reads inside a string", () => {
  const framer = jsonFramer(hooks(100));
  assertEquals(run(framer, ['{"a":"x\\', '"}"}\n{"b":"\\\\"}', "\n"]), [
    '{"a":"x\\"}"}',
    '{"b":"\\\\"}',
  ]);
});

Deno.test("jsonFramer() cuts the same frames whether a stream comes whole or a byte a read", () => {
  const text = '{"a":"x\\"}{","n":[1,{"b":2}]}\n[3,"]"] {"c":"é"}\nnot json\n{"d":"cut\n{"e":5}\n';
  const whole = run(jsonFramer(hooks(100)), [text]);
  const bytes = enc.encode(text);
  const single = run(jsonFramer(hooks(100)), Array.from(bytes, (b) => new Uint8Array([b])));
  assertEquals(single, whole);
  assertEquals(whole, [
    '{"a":"x\\"}{","n":[1,{"b":2}]}',
    '[3,"]"]',
    '{"c":"é"}',
    "not json",
    '{"d":"cut',
    '{"e":5}',
  ]);
});

Deno.test("jsonFramer cuts the same frames wherever the reads split, escapes and brackets in strings too", () => {
  const text = '{"a":"x\\\\"}{"b":"q\\"}{[" ,"c":[1,{"d":"\\\\\\""}]}\n[1,"]\\\\",2]\n' +
    '{"e":"line\nbreak"}\nplain text\n{"f":{"g":"}"}}';
  const bytes = new TextEncoder().encode(text);
  const frames = (cuts: number[], held = false) => {
    const framer = jsonFramer({ maxBytes: 1024, onOversize() {} });
    const out: Uint8Array[] = [];
    let at = 0;
    for (const cut of [...cuts, bytes.length]) {
      if (!held) framer.push(bytes.slice(at, cut), out);
      else {
        // As the stream listener reads: the held bytes copied in front of the new ones.
        const before = framer.held!();
        const buf = new Uint8Array(before.length + cut - at);
        buf.set(before);
        buf.set(bytes.subarray(at, cut), before.length);
        framer.pushWithHeld!(buf, out);
      }
      at = cut;
    }
    const tail = framer.end();
    if (tail) out.push(tail);
    return out.map((f) => new TextDecoder().decode(f));
  };
  const whole = frames([]);
  assertEquals(whole.length, 7);
  for (let cut = 1; cut < bytes.length; cut++) {
    assertEquals(frames([cut]), whole, `cut at ${cut}`);
    assertEquals(frames([cut], true), whole, `cut at ${cut}, held bytes in front`);
  }
  for (let cut = 1; cut + 1 < bytes.length; cut++) {
    assertEquals(frames([cut, cut + 1]), whole, `cuts at ${cut}, ${cut + 1}`);
    assertEquals(frames([cut, cut + 1], true), whole, `cuts at ${cut}, ${cut + 1}, held`);
  }
});
