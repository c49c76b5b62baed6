import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { jsonFramer } from "../../../src/net/stream/json_framer.ts";
import { separatorFramer, unescapeSeparator } from "../../../src/net/stream/framing.ts";
import { frameConverter } from "./records.ts";

const enc = new TextEncoder();
const time = new EventTime(1700000000, 0);

Deno.test("tcp json: {a:1}{b:2}\\n[1,2] gives three records, the array as msg (vector 1)", () => {
  const frames: Uint8Array[] = [];
  const framer = jsonFramer({ maxBytes: 1000, onOversize() {} });
  framer.push(enc.encode('{"a":1}{"b":2}\n[1,2]'), frames);
  const bad: string[] = [];
  const out: LogRecord[] = [];
  frameConverter({ format: "json", onMalformed: (t) => bad.push(t) })
    .convert(frames, "tcp://1.2.3.4:5", time, out);
  assertEquals(out.map((r) => r.body), [{ a: 1 }, { b: 2 }, { msg: [1, 2] }]);
  assertEquals(bad, []);
});

Deno.test("tcp none with separator \\r\\n: each segment is {log}; the tail at end kept", () => {
  const frames: Uint8Array[] = [];
  const framer = separatorFramer(unescapeSeparator("\\r\\n"), { maxBytes: 100, onOversize() {} });
  framer.push(enc.encode("a\r\nb\r\nc"), frames);
  frames.push(framer.end()!);
  const out: LogRecord[] = [];
  frameConverter({ format: "none", onMalformed() {} }).convert(frames, "", time, out);
  assertEquals(out.map((r) => r.body), [{ log: "a" }, { log: "b" }, { log: "c" }]);
});

Deno.test("udp json with source_address_key adds the sender (vector 3)", () => {
  const out: LogRecord[] = [];
  frameConverter({ format: "json", sourceAddressKey: "src", onMalformed() {} })
    .convert([enc.encode('{"m":"x"}')], "udp://10.0.0.5:4000", time, out);
  assertEquals(out[0]!.body, { m: "x", src: "udp://10.0.0.5:4000" });
});

Deno.test("tcp json: invalid JSON and bare scalars are counted, the others kept", () => {
  const bad: string[] = [];
  const out: LogRecord[] = [];
  const conv = frameConverter({ format: "json", onMalformed: (t) => bad.push(t) });
  conv.convert([enc.encode("{oops"), enc.encode("42"), enc.encode('{"ok":1}')], "", time, out);
  assertEquals(out.map((r) => r.body), [{ ok: 1 }]);
  assertEquals(bad, ["{oops", "42"]);
  assertEquals(conv.malformed, 2);
});

Deno.test("tcp json: frames of one read decode alike with or without multi-byte and invalid bytes", () => {
  const ascii = enc.encode('{"a":"x"}\n{"b":"y"}\n');
  const utf8 = enc.encode('{"a":"é"}\n{"b":"😀"}\n');
  const invalid = new Uint8Array([...enc.encode('{"a":"'), 0xe2, ...enc.encode('"}\n{"b":1}\n')]);
  for (const buf of [ascii, utf8, invalid]) {
    const frames: Uint8Array[] = [];
    jsonFramer({ maxBytes: 1000, onOversize() {} }).push(buf, frames);
    const out: LogRecord[] = [];
    frameConverter({ format: "json", onMalformed() {} }).convert(frames, "", time, out);
    const alone = frames.map((f) => JSON.parse(new TextDecoder().decode(f)));
    assertEquals(out.map((r) => r.body), alone);
  }
});
