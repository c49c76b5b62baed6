import { assertEquals } from "../../../src/testing/assert.ts";
import { FakeClock } from "../../../src/testing/fake_clock.ts";
import { testInputContext } from "../../../src/testing/input_context.ts";
import type { LogChunk } from "../../../src/event/chunk.ts";
import { MemInput } from "./mem.ts";
import { humanSize, memRecord, rssBytes } from "./mem_info.ts";

Deno.test("humanSize() writes sizes as Fluent Bit's human_readable_size", () => {
  assertEquals(humanSize(512), "512 b");
  assertEquals(humanSize(15818752), "15.09M");
  assertEquals(humanSize(2048), "2.00K");
});

Deno.test("memRecord() and rssBytes() on malformed text give undefined", () => {
  assertEquals(memRecord("nothing here"), undefined);
  assertEquals(rssBytes("no parenthesis"), undefined);
});

Deno.test("the mem input: Mem.* and Swap.* in kB, with pid the process's RSS", async () => {
  const clock = new FakeClock();
  const ctx = testInputContext({ clock });
  const procfs = new URL("../../../testdata/node_exporter/proc", import.meta.url).pathname;
  const input = new MemInput({ interval_sec: 1, interval_nsec: 0, pid: 42 }, ctx, procfs);
  const it = input.chunks[Symbol.asyncIterator]();
  const next = it.next();
  while (clock.nextDeadline === undefined) await Promise.resolve();
  clock.set(clock.nextDeadline);
  const body = ((await next).value as LogChunk).records[0]?.body;
  assertEquals(body?.["Mem.total"], 24683784);
  assertEquals(body?.["Mem.used"], 24683784 - (body?.["Mem.free"] as number));
  assertEquals(body?.["Swap.total"], 0);
  assertEquals([body?.proc_bytes, body?.proc_hr], [8192, "8.00K"]);
  ctx.controller.abort();
  await it.next();
});
