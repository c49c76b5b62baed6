import { logRecord } from "../event/log_record.ts";
import { EventTime } from "../event/event_time.ts";
import { assert, assertEquals } from "./assert.ts";
import { estimateBytes } from "../engine/input_context.ts";
import { testInputContext } from "./input_context.ts";

Deno.test("testInputContext() makes chunks with the tag, a fresh ack and estimated bytes", () => {
  const ctx = testInputContext({ name: "tail.0", tag: "app.log" });
  const records = [logRecord({ msg: "hi" }, new EventTime(1, 2))];
  const a = ctx.chunk(records);
  const b = ctx.chunk(records, { tag: "other", bytes: 7 });
  assertEquals([a.signal, a.tag, a.input, a.bytes], [
    "logs",
    "app.log",
    "tail.0",
    estimateBytes(records),
  ]);
  assertEquals([b.tag, b.bytes], ["other", 7]);
  assert(a.ack !== b.ack && !a.ack.settled);
  const spans = ctx.signalChunk("traces", [], {});
  assertEquals([spans.signal, spans.tag], ["traces", "app.log"]);
});

Deno.test("testInputContext() aborts its signal through its controller and logs to memory", () => {
  const ctx = testInputContext();
  assertEquals([ctx.name, ctx.tag, ctx.settings.flush, ctx.isPaused()], [
    "test.0",
    "test.0",
    1,
    false,
  ]);
  ctx.log.warn("careful");
  assert(ctx.logLines[0]!.includes("careful"));
  assert(!ctx.signal.aborted);
  ctx.controller.abort();
  assert(ctx.signal.aborted);
});

Deno.test("testInputContext() estimates bytes as the engine does, bigint values included", () => {
  const ctx = testInputContext();
  const records = [logRecord({ n: 12n })];
  assertEquals(ctx.chunk(records).bytes, estimateBytes(records));
  assertEquals(estimateBytes(records), JSON.stringify({ n: "12" }).length + 32);
});
