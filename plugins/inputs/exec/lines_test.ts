import { assertEquals } from "../../../src/testing/assert.ts";
import { LineSplitter } from "./lines.ts";

Deno.test("LineSplitter: lines across reads, a multi-byte character split between them, a last line held", () => {
  const bytes = new TextEncoder().encode("a\nhé\n\nlast");
  const s = new LineSplitter();
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) lines.push(...s.push(bytes.subarray(i, i + 3)));
  assertEquals(lines, ["a", "hé", ""]);
  assertEquals(s.end(), "last");
  assertEquals(s.end(), undefined);
});

Deno.test("LineSplitter: only the newline is removed (a CR stays, as Fluent Bit's chomp leaves it)", () => {
  const s = new LineSplitter();
  assertEquals(s.push(new TextEncoder().encode("x\r\n")), ["x\r"]);
});

Deno.test("LineSplitter: a line longer than the limit comes in pieces, never inside a character", () => {
  const s = new LineSplitter(4);
  const lines = [
    ...s.push(new TextEncoder().encode("abcé")), // 5 bytes, no newline yet
    ...s.push(new TextEncoder().encode("fgh\nz\n")),
  ];
  // The held part is cut once it passes the limit; what the next read completes is one line.
  assertEquals(lines, ["abc", "éfgh", "z"]);
  assertEquals(s.cut, 1);
});
