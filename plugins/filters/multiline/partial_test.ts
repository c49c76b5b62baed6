import { assertEquals } from "../../../src/testing/assert.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import { PartialJoiner } from "./partial.ts";

function rec(body: RecordMap, sec = 100): LogRecord {
  return { time: new EventTime(sec, 0), metadata: {}, body };
}

function part(log: string, id: string, last: boolean, sec = 100): LogRecord {
  return rec({
    container_id: "abc",
    log,
    partial_message: "true",
    partial_id: id,
    partial_ordinal: "1",
    partial_last: last ? "true" : "false",
  }, sec);
}

Deno.test("PartialJoiner joins parts by partial_id and drops the partial_ keys", () => {
  let t = 0;
  const j = new PartialJoiner<string>("log", { flushMs: 2000, now: () => t });
  assertEquals(j.push("s", part("hello ", "p1", false, 100), { token: "a" }).length, 0);
  assertEquals(j.push("s", part("other ", "p2", false), { token: "a" }).length, 0);
  t = 10;
  const lone = j.push("s", rec({ log: "plain" }), { token: "b" });
  assertEquals(lone.map((m) => m.record.body), [{ log: "plain" }]);
  const done = j.push("s", part("world", "p1", true, 101), { token: "b" });
  assertEquals(done.length, 1);
  assertEquals(done[0]!.record, {
    time: new EventTime(100, 0),
    metadata: {},
    body: { container_id: "abc", log: "hello world" },
  });
  assertEquals(done[0]!.tokens, ["a", "b"]);
  assertEquals(j.nextDeadline(), 2000);
});

Deno.test("PartialJoiner flushes an unfinished message after flush_ms", () => {
  let t = 0;
  const j = new PartialJoiner<string>("log", { flushMs: 500, now: () => t });
  j.push("s", part("a", "p1", false), {});
  t = 300;
  j.push("s", part("b", "p1", false), {});
  t = 799;
  assertEquals(j.flushExpired().length, 0);
  t = 800;
  assertEquals(j.flushExpired().map((m) => m.record.body.log), ["ab"]);
  assertEquals(j.nextDeadline(), undefined);
});

Deno.test("PartialJoiner keeps streams apart and passes records without a partial_id", () => {
  const j = new PartialJoiner<string>("log", { flushMs: 500, now: () => 0 });
  j.push("x", part("x1", "p", false), {});
  j.push("y", part("y1", "p", false), {});
  const noId = rec({ log: "n", partial_message: "true" });
  assertEquals(j.push("x", noId, {}).map((m) => m.record), [noId]);
  assertEquals(j.push("y", part("y2", "p", true), {}).map((m) => m.record.body.log), ["y1y2"]);
  assertEquals(j.flush().map((m) => [m.stream, m.record.body.log]), [["x", "x1"]]);
});
