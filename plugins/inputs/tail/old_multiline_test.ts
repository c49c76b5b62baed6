import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { defaultsOf } from "../../../src/config/options.ts";
import { parserOptions } from "../../../src/config/common_options.ts";
import { regexParser } from "../../../src/parsers/regex.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { OldMultilineJoiner } from "./old_multiline.ts";

const t = new EventTime(1, 0);

Deno.test("OldMultilineJoiner joins continuation lines into the first line's last field", () => {
  const first = regexParser({
    ...defaultsOf(parserOptions),
    name: "first",
    format: "regex",
    regex: "^(?<time>\\d{4}-\\d{2}-\\d{2}) (?<message>.*)",
  });
  const cont = regexParser({
    ...defaultsOf(parserOptions),
    name: "cont",
    format: "regex",
    regex: "^code=(?<code>\\d+)$",
  });
  let now = 0;
  const j = new OldMultilineJoiner(first, [cont], { flushSeconds: 4, now: () => now });
  const out: unknown[] = [];
  const emit = (_s: string, item: LogRecord | string) =>
    out.push(typeof item === "string" ? item : item.body);
  const lines = [
    "orphan before any first line",
    "2024-01-01 boom",
    "  at a()",
    "code=42",
    "  at b()",
    "2024-01-02 next",
  ];
  let at = 0;
  for (const l of lines) {
    j.push("f", l, at, at + l.length + 1, t, emit);
    at += l.length + 1;
  }
  assertEquals(out, [
    "orphan before any first line",
    { time: "2024-01-01", message: "boom\n  at a()\n  at b()", code: "42" },
  ]);
  assertEquals(j.heldFrom("f"), lines.slice(0, 5).join("\n").length + 1);
  now = 4000;
  j.expire(emit);
  assertEquals(out[2], { time: "2024-01-02", message: "next" });
});
