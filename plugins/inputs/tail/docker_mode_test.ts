import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { defaultsOf } from "../../../src/config/options.ts";
import { parserOptions } from "../../../src/config/common_options.ts";
import { regexParser } from "../../../src/parsers/regex.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { DockerJoiner } from "./docker_mode.ts";

const t = new EventTime(1, 0);

function collect(j: DockerJoiner, lines: string[]): { out: string[]; offsets: number[] } {
  const out: string[] = [];
  const offsets: number[] = [];
  let at = 0;
  const emit = (_s: string, item: LogRecord | string, offset: number) => {
    out.push(typeof item === "string" ? item : JSON.stringify(item.body));
    offsets.push(offset);
  };
  for (const line of lines) {
    j.push("f", line, at, at + line.length + 1, t, emit);
    at += line.length + 1;
  }
  j.flush("f", emit);
  return { out, offsets };
}

Deno.test("DockerJoiner joins split Docker lines until a log ends with a newline", () => {
  const j = new DockerJoiner({ flushSeconds: 4 });
  const { out, offsets } = collect(j, [
    '{"log":"2020-03-24 Single ","stream":"stdout"}',
    '{"log":"li"}',
    '{"log":"ne\\n","stream":"stderr"}',
    '{"log":"whole\\n"}',
    "not json",
  ]);
  assertEquals(out, [
    '{"log":"2020-03-24 Single line\\n","stream":"stderr"}',
    '{"log":"whole\\n"}',
    "not json",
  ]);
  assertEquals(offsets.length, 3);
  assertEquals(offsets[0], 0);
});

Deno.test("DockerJoiner with docker_mode_parser starts a message at each first line", () => {
  const firstline = regexParser({
    ...defaultsOf(parserOptions),
    name: "fl",
    format: "regex",
    regex: '(?<log>^{"log":"\\d{4}-\\d{2}-\\d{2}.*)',
  });
  const j = new DockerJoiner({ flushSeconds: 4, firstline });
  const { out } = collect(j, [
    '{"log":"Single log\\n"}',
    '{"log":"2020-03-24 Multiple lines: \\n"}',
    '{"log":"first\\n"}',
    '{"log":"sec"}',
    '{"log":"ond\\n"}',
    '{"log":"2020-03-24 Single line\\n"}',
  ]);
  assertEquals(out, [
    '{"log":"Single log\\n"}',
    '{"log":"2020-03-24 Multiple lines: \\nfirst\\nsecond\\n"}',
    '{"log":"2020-03-24 Single line\\n"}',
  ]);
});

Deno.test("DockerJoiner holds the first line's offset and times out after docker_mode_flush", () => {
  let now = 0;
  const j = new DockerJoiner({ flushSeconds: 2, now: () => now });
  const emitted: string[] = [];
  const emit = (_s: string, item: LogRecord | string) => emitted.push(String(item));
  j.push("f", '{"log":"a"}', 100, 112, t, emit);
  assertEquals(j.heldFrom("f"), 100);
  assertEquals(j.nextDeadline(), 2000);
  now = 1999;
  j.expire(emit);
  assertEquals(emitted.length, 0);
  now = 2000;
  j.expire(emit);
  assertEquals(emitted, ['{"log":"a"}']);
  assertEquals(j.heldFrom("f"), undefined);
});
