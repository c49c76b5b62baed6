import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { buildMultilineRegistry } from "../../../src/multiline/mod.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { MultilineJoiner } from "./joiner.ts";

Deno.test("MultilineJoiner holds a stack trace's lines and releases their offsets when sent", () => {
  const j = new MultilineJoiner(buildMultilineRegistry([]).assembler<number>(["java"]));
  const out: { body: unknown; offset: number }[] = [];
  const emit = (_s: string, item: LogRecord | string, offset: number) =>
    out.push({ body: typeof item === "string" ? item : item.body, offset });
  const lines = [
    'Exception in thread "main" java.lang.IllegalStateException: boom',
    "    at com.example.App.main(App.java:5)",
    "next message",
  ];
  const t = new EventTime(1, 0);
  const starts = [0, lines[0]!.length + 1, lines[0]!.length + lines[1]!.length + 2];
  j.push("f", lines[0]!, starts[0]!, starts[1]!, t, emit);
  j.push("f", lines[1]!, starts[1]!, starts[2]!, t, emit);
  assertEquals(out.length, 0);
  assertEquals(j.heldFrom("f"), 0);
  j.push("f", lines[2]!, starts[2]!, starts[2]! + lines[2]!.length + 1, t, emit);
  assertEquals(out, [
    { body: { log: `${lines[0]}\n${lines[1]}` }, offset: starts[2] },
    { body: { log: "next message" }, offset: starts[2]! + lines[2]!.length + 1 },
  ]);
  assertEquals(j.heldFrom("f"), undefined);
  j.flush("f", emit);
  assertEquals(out.length, 2);
});
