import { assert, assertEquals } from "../testing/assert.ts";
import { multilineParserOptions } from "../config/common_options.ts";
import { defaultsOf } from "../config/options.ts";
import { EventTime } from "../event/event_time.ts";
import { MultilineAssembler, type MultilineMessage } from "./assembler.ts";
import { builtinParsers } from "./builtin.ts";
import { compileMultilineParser } from "./rules.ts";
import { fakeNow, jsonParsers, readClassicMultiline, rec } from "./_testing.ts";

const dir = new URL("../../testdata/multiline/", import.meta.url);
const java = builtinParsers().get("java")!;

async function corpusParser(file: string) {
  const [def] = readClassicMultiline(await Deno.readTextFile(new URL(file, dir)));
  return compileMultilineParser(def!, { parsers: jsonParsers });
}

function texts(ms: readonly MultilineMessage<unknown>[], key = "log"): unknown[] {
  return ms.map((m) => m.record.body[key]);
}

Deno.test("assembler joins the tail vector multiline_001 into its expected record", async () => {
  const asm = new MultilineAssembler([await corpusParser("parsers_multiline_json.conf")]);
  const lines = (await Deno.readTextFile(new URL("multiline_001.log", dir))).split("\n")
    .filter((l) => l !== "");
  const out = lines.flatMap((l) => [...asm.push("multiline_001.log", l)]);
  out.push(...asm.flush());
  const expected = JSON.parse(await Deno.readTextFile(new URL("multiline_001.out", dir)));
  assertEquals(out.map((m) => m.record.body), [expected]);
  assertEquals(out[0]!.lines, 6);
});

Deno.test("assembler runs the corpus exception_test parser on raw lines", async () => {
  const asm = new MultilineAssembler([await corpusParser("fb-conf__parsers_multiline.conf")]);
  const lines = [
    "single line...",
    'Dec 14 06:41:08 Exception in thread "main" java.lang.RuntimeException: Something failed',
    "    at com.myproject.module.MyProject.badMethod(MyProject.java:22)",
    "    at com.myproject.module.MyProject.main(MyProject.java:6)",
    "another line...",
  ];
  const t = new EventTime(1_700_000_000, 7);
  const out = lines.flatMap((l) => [...asm.push("f", l, { time: t })]);
  assertEquals(texts(out), ["single line...", lines.slice(1, 4).join("\n"), "another line..."]);
  assert(out.every((m) => m.record.time.equals(t)));
  assertEquals(asm.hasPending(), false);
});

Deno.test("assembler flushes a message once its last line is flush_timeout old", () => {
  const clock = fakeNow(1000);
  const asm = new MultilineAssembler([java], { now: clock.now });
  assertEquals(asm.push("a", "java.lang.RuntimeException: boom").length, 0);
  clock.set(3000);
  assertEquals(asm.push("a", "    at App.main(App.java:1)").length, 0);
  assertEquals(asm.nextDeadline(), 3000 + java.flushTimeoutMs);
  clock.set(6999);
  assertEquals(asm.flushExpired().length, 0);
  clock.set(7000);
  const out = asm.flushExpired();
  assertEquals(texts(out), ["java.lang.RuntimeException: boom\n    at App.main(App.java:1)"]);
  assertEquals(asm.nextDeadline(), undefined);
  assertEquals(asm.hasPending("a"), false);
});

Deno.test("assembler ends a timed-out message before the next line, even without a timer", () => {
  const clock = fakeNow(0);
  const asm = new MultilineAssembler([java], { now: clock.now, flushMs: 500 });
  asm.push("a", "java.lang.RuntimeException: boom");
  clock.set(499);
  assertEquals(asm.push("a", "    at A.a(A.java:1)").length, 0);
  clock.set(1200);
  const out = asm.push("a", "    at B.b(B.java:2)"); // arrives after flush_ms: a new record
  assertEquals(texts(out), [
    "java.lang.RuntimeException: boom\n    at A.a(A.java:1)",
    "    at B.b(B.java:2)",
  ]);
});

Deno.test("assembler keeps streams apart and flushes one stream on request", () => {
  const asm = new MultilineAssembler([java]);
  asm.push("a", "java.lang.IllegalStateException: a");
  asm.push("b", "java.lang.IllegalStateException: b");
  asm.push("a", "    at A.a(A.java:1)");
  asm.push("b", "    at B.b(B.java:2)");
  assertEquals(texts(asm.flush("b")), ["java.lang.IllegalStateException: b\n    at B.b(B.java:2)"]);
  assertEquals(asm.hasPending("a"), true);
  assertEquals(asm.flush("b").length, 0);
  assertEquals(texts(asm.flush()), ["java.lang.IllegalStateException: a\n    at A.a(A.java:1)"]);
});

Deno.test("assembler flushes early at the buffer limit, counts it and loses nothing", () => {
  const asm = new MultilineAssembler([java], { bufferLimit: 60 });
  const lines = [
    "java.lang.RuntimeException: boom",
    "    at A.a(A.java:1)",
    "    at B.b(B.java:2)",
    "    at C.c(C.java:3)",
    "    at D.d(D.java:4)",
  ];
  const out = lines.flatMap((l) => [...asm.push("s", l)]);
  out.push(...asm.flush());
  assertEquals(asm.truncatedTotal, 2);
  assertEquals(out.map((m) => m.truncated), [true, true, false]);
  assert(out.every((m) => (m.record.body.log as string).length <= 60));
  assertEquals(texts(out).join("\n"), lines.join("\n"));
});

Deno.test("assembler flushes a single line longer than the limit on its own", () => {
  const asm = new MultilineAssembler([java], { bufferLimit: 10 });
  const out = asm.push("s", "java.lang.RuntimeException: far too long for the limit");
  assertEquals(out.length, 1);
  assertEquals(out[0]!.truncated, true);
  assertEquals(asm.truncatedTotal, 1);
});

Deno.test("assembler hands back one token per joined line and passes records through", () => {
  const asm = new MultilineAssembler<string>([java], { keyContent: "log" });
  const a = asm.push("s", rec("plain line"), { token: "c1" });
  assertEquals(a.map((m) => m.tokens), [["c1"]]);
  assertEquals(a[0]!.record, rec("plain line")); // unchanged
  asm.push("s", rec("java.lang.RuntimeException: boom"), { token: "c1" });
  asm.push("s", rec("    at A.a(A.java:1)"), { token: "c2" });
  const b = asm.push("s", rec("    at B.b(B.java:2)"), { token: "c2" });
  assertEquals(b.length, 0);
  const c = asm.push("s", { ...rec("x"), body: { other: 1 } }, { token: "c3" });
  assertEquals(c.map((m) => m.tokens), [["c1", "c2", "c2"], ["c3"]]);
  assertEquals(c[1]!.record.body, { other: 1 });
});

Deno.test("assembler joins endswith lines with negate and equal lines with key_pattern", () => {
  const base = defaultsOf(multilineParserOptions);
  const cont = compileMultilineParser({
    ...base,
    name: "backslash",
    type: "endswith",
    match_string: "\\",
    negate: true,
  });
  const asm = new MultilineAssembler([cont]);
  const out = ["one \\", "two", "three"].flatMap((l) => [...asm.push("s", l)]);
  assertEquals(texts(out), ["one \\\ntwo", "three"]);

  const eq = compileMultilineParser({
    ...base,
    name: "flag",
    type: "equal",
    match_string: "end",
    key_content: "msg",
    key_pattern: "flag",
  });
  const asm2 = new MultilineAssembler([eq]);
  const r = (msg: string, flag: string) => ({ ...rec(msg, "msg"), body: { msg, flag } });
  const out2 = [r("a", "more"), r("b", "more"), r("c", "end")].flatMap((x) => [
    ...asm2.push("s", x),
  ]);
  assertEquals(out2.map((m) => m.record.body), [{ msg: "abc", flag: "more" }]);
});

Deno.test("assembler with no matching parser passes raw text on under key_content", () => {
  const asm = new MultilineAssembler([java], { keyContent: "message" });
  const out = asm.push("s", "hello", { time: new EventTime(5, 0) });
  assertEquals(out[0]!.record, {
    time: new EventTime(5, 0),
    metadata: {},
    body: { message: "hello" },
  });
});
