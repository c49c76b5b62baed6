import { assertEquals } from "../testing/assert.ts";
import { encodeJsonText, Utf8TextBuilder } from "./json_text.ts";

/** Lines whose joined text crosses the builder's 32K-unit pieces, with non-ASCII and DEL. */
function lines(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const extra = i % 97 === 0 ? "é€😀" : i % 89 === 0 ? "\x7f" : "";
    out.push(`{"i":${i},"msg":"line ${i} ${"x".repeat(i % 40)}${extra}"}\n`);
  }
  return out;
}

Deno.test("Utf8TextBuilder gives encodeJsonText()'s bytes of the whole text, in both escape modes", () => {
  const parts = lines();
  const whole = parts.join("");
  for (const escapeUnicode of [true, false]) {
    const b = new Utf8TextBuilder({ json: true, escapeUnicode });
    for (const p of parts) b.add(p);
    assertEquals(b.finish(), encodeJsonText(whole, escapeUnicode));
  }
});

Deno.test("Utf8TextBuilder without json writes the text's UTF-8 bytes unescaped", () => {
  const parts = lines();
  const b = new Utf8TextBuilder({ json: false, escapeUnicode: true });
  for (const p of parts) b.add(p);
  assertEquals(b.finish(), new TextEncoder().encode(parts.join("")));
});

Deno.test("Utf8TextBuilder used at the same time as another keeps its own bytes", () => {
  const a = new Utf8TextBuilder({ json: true, escapeUnicode: true });
  const b = new Utf8TextBuilder({ json: true, escapeUnicode: true });
  a.add('{"a":1}\n');
  b.add('{"b":2}\n');
  const dec = new TextDecoder();
  assertEquals(dec.decode(a.finish()), '{"a":1}\n');
  assertEquals(dec.decode(b.finish()), '{"b":2}\n');
  const c = new Utf8TextBuilder({ json: true, escapeUnicode: false });
  c.add("{}");
  assertEquals(dec.decode(c.finish()), "{}");
});
