import { assertEquals } from "../testing/assert.ts";
import { parserDefinition as def } from "./builtin.ts";
import { logfmtParser } from "./logfmt.ts";

Deno.test("logfmtParser() reads the docs' example, bare keys becoming true", () => {
  const p = logfmtParser(def({ name: "logfmt", format: "logfmt" }));
  assertEquals(p.parse("key1=val1 key2=val2 key3"), {
    body: { key1: "val1", key2: "val2", key3: true },
  });
});

Deno.test("logfmtParser() rejects a line with a bare key when logfmt_no_bare_keys is on", () => {
  const p = logfmtParser(def({ name: "l", format: "logfmt", logfmt_no_bare_keys: true }));
  assertEquals(p.parse("key1=val1 key2=val2 key3"), null);
  assertEquals(p.parse("key1=val1 key2=")?.body, { key1: "val1", key2: true });
});

Deno.test("logfmtParser() unquotes values and keeps empty quoted ones", () => {
  const p = logfmtParser(def({ name: "l", format: "logfmt" }));
  assertEquals(
    p.parse('  level=info msg="hello \\"world\\"\\n" empty="" eq= path=/a=b x'),
    {
      body: {
        level: "info",
        msg: 'hello "world"\n',
        empty: "",
        eq: true,
        path: "/a",
        b: true,
        x: true,
      },
    },
  );
  assertEquals(p.parse('msg="unterminated'), { body: { msg: "unterminated" } });
  assertEquals(p.parse("   "), null);
});

Deno.test("logfmtParser() stops at the end of the first line", () => {
  const p = logfmtParser(def({ name: "l", format: "logfmt" }));
  assertEquals(p.parse("a=1\nb=2")?.body, { a: "1" });
});

Deno.test("logfmtParser() reads the time and casts types", () => {
  const p = logfmtParser(def({
    name: "l",
    format: "logfmt",
    time_key: "ts",
    time_format: "%Y-%m-%dT%H:%M:%SZ",
    types: "status:integer ok:bool",
  }));
  const r = p.parse("ts=2024-01-02T03:04:05Z status=503 ok=false msg=x");
  assertEquals(r?.body, { status: 503, ok: false, msg: "x" });
  assertEquals(r?.time?.sec, Date.UTC(2024, 0, 2, 3, 4, 5) / 1000);
});
