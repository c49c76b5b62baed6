import { assertEquals } from "../../../src/testing/assert.ts";
import { syslogLineFramer } from "./line_framer.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function framer(maxBytes = 1024) {
  const oversize: [string, number][] = [];
  const f = syslogLineFramer({
    maxBytes,
    onOversize: (sample, bytes) => oversize.push([decoder.decode(sample), bytes]),
  });
  function push(...reads: string[]): string[] {
    const out: Uint8Array[] = [];
    for (const r of reads) f.push(encoder.encode(r), out);
    return out.map((m) => decoder.decode(m));
  }
  return { push, end: () => f.end(), oversize };
}

Deno.test("syslogLineFramer() ends messages at a newline or a NUL", () => {
  const f = framer();
  assertEquals(f.push("a\nb\0c\n\0d"), ["a", "b", "c"]);
  assertEquals(decoder.decode(f.end()!), "d");
});

Deno.test("syslogLineFramer() keeps a \\r before the newline and skips empty messages", () => {
  assertEquals(framer().push("a\r\n\n\n\0b\n"), ["a\r", "b"]);
});

Deno.test("syslogLineFramer() joins a message split across reads", () => {
  const f = framer();
  assertEquals(f.push("<13>he", "ll", "o\n<14>"), ["<13>hello"]);
  assertEquals(f.push("x\0"), ["<14>x"]);
  assertEquals(f.end(), null);
});

Deno.test("syslogLineFramer() skips a message over the limit, reports it once, goes on", () => {
  const f = framer(5);
  assertEquals(f.push("12345\n123456\nok\n"), ["12345", "ok"]);
  assertEquals(f.oversize, [["123456", 6]]);
});

Deno.test("syslogLineFramer() skips an over-long message spread over reads", () => {
  const f = framer(4);
  assertEquals(f.push("abc", "defg", "hij\0", "k\n"), ["k"]);
  assertEquals(f.oversize, [["abcdefg", 10]]);
});

Deno.test("syslogLineFramer() reports an over-long last message at the end", () => {
  const f = framer(3);
  assertEquals(f.push("ok\nabcdef"), ["ok"]);
  assertEquals(f.end(), null);
  assertEquals(f.oversize, [["abcdef", 6]]);
});

Deno.test("syslogLineFramer() finds NULs past the first one in a read", () => {
  assertEquals(framer().push("a\0b\0c\nd\0"), ["a", "b", "c", "d"]);
});

Deno.test("syslogLineFramer() cuts the same messages with its held bytes copied in front of each read", () => {
  const text = encoder.encode("<13>1 a\n<14>1 bb\0<15>1 ccc\r\n\n<16>1 d");
  const run = (cut: number, held: boolean) => {
    const f = syslogLineFramer({ maxBytes: 1024, onOversize() {} });
    const out: Uint8Array[] = [];
    for (const [from, to] of [[0, cut], [cut, text.length]] as const) {
      const part = text.subarray(from, to);
      if (!held) f.push(part.slice(), out);
      else {
        const before = f.held();
        const buf = new Uint8Array(before.length + part.length);
        buf.set(before);
        buf.set(part, before.length);
        f.pushWithHeld(buf, out);
      }
    }
    const tail = f.end();
    return [...out, ...(tail ? [tail] : [])].map((m) => decoder.decode(m));
  };
  for (let cut = 0; cut <= text.length; cut++) assertEquals(run(cut, true), run(cut, false));
  assertEquals(run(5, true), ["<13>1 a", "<14>1 bb", "<15>1 ccc\r", "<16>1 d"]);
});
