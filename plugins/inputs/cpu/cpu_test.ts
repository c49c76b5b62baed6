import { assertEquals } from "../../../src/testing/assert.ts";
import { FakeClock } from "../../../src/testing/fake_clock.ts";
import { testInputContext } from "../../../src/testing/input_context.ts";
import type { LogChunk } from "../../../src/event/chunk.ts";
import { CpuInput } from "./cpu.ts";
import { parsePidStat, parseProcStat, pidRecord, systemRecord } from "./cpu_stat.ts";

const STAT_A =
  "cpu  100 0 50 1000 0 0 0 0 0 0\ncpu0 60 0 20 500 0 0 0 0 0 0\ncpu1 40 0 30 500\nintr 1\n";
const STAT_B =
  "cpu  200 20 90 1100 0 0 0 0 0 0\ncpu0 150 0 40 520 0 0 0 0 0 0\ncpu1 50 20 50 580\nintr 2\n";

Deno.test("systemRecord(): total normalised by CPUs, each CPU on its own, user includes nice", () => {
  const r = systemRecord(parseProcStat(STAT_A)!, parseProcStat(STAT_B)!, 1);
  // total: (310 - 150) jiffies = 1.6 s of 2 CPUs in 1 s -> 80 %
  assertEquals(r, {
    cpu_p: 80,
    user_p: 60,
    system_p: 20,
    "cpu0.p_cpu": 110,
    "cpu0.p_user": 90,
    "cpu0.p_system": 20,
    "cpu1.p_cpu": 50,
    "cpu1.p_user": 30,
    "cpu1.p_system": 20,
  });
  assertEquals(parseProcStat("garbage"), undefined);
});

Deno.test("pidRecord(): utime and stime of a stat line whose command has spaces and parentheses", () => {
  const line = (u: number, s: number) =>
    `42 (my (odd) cmd) S 1 42 42 0 -1 4194560 10 0 0 0 ${u} ${s} 0 0 20 0 1 0 1 0 0`;
  const a = parsePidStat(line(100, 50))!;
  const b = parsePidStat(line(150, 60))!;
  assertEquals(a, { user: 100, system: 50 });
  assertEquals(pidRecord(a, b, 1, 2), { cpu_p: 30, user_p: 25, system_p: 5 });
});

Deno.test("the cpu input sends one record per interval from the fixture procfs", async () => {
  const clock = new FakeClock();
  const ctx = testInputContext({ clock });
  const procfs = new URL("../../../testdata/node_exporter/proc", import.meta.url).pathname;
  const input = new CpuInput({ pid: -1, interval_sec: 2, interval_nsec: 0 }, ctx, procfs);
  const it = input.chunks[Symbol.asyncIterator]();
  const next = it.next();
  while (clock.nextDeadline === undefined) await Promise.resolve();
  clock.set(clock.nextDeadline);
  const chunk = (await next).value as LogChunk;
  // the same file twice: no time passed
  assertEquals(chunk.records[0]?.body, {
    cpu_p: 0,
    user_p: 0,
    system_p: 0,
    "cpu0.p_cpu": 0,
    "cpu0.p_user": 0,
    "cpu0.p_system": 0,
    "cpu1.p_cpu": 0,
    "cpu1.p_user": 0,
    "cpu1.p_system": 0,
  });
  assertEquals(clock.now(), 2000);
  ctx.controller.abort();
  assertEquals((await it.next()).done, true);
});

Deno.test("the cpu input on an unreadable or malformed procfs logs once and sends nothing", async () => {
  for (
    const procfs of [
      "/nonexistent",
      new URL("../../../testdata/node_exporter/bad/proc", import.meta.url).pathname,
    ]
  ) {
    const clock = new FakeClock();
    const ctx = testInputContext({ clock });
    const input = new CpuInput({ pid: -1, interval_sec: 1, interval_nsec: 0 }, ctx, procfs);
    const it = input.chunks[Symbol.asyncIterator]();
    const next = it.next();
    for (let i = 0; i < 3; i++) {
      while (clock.nextDeadline === undefined) await Promise.resolve();
      clock.set(clock.nextDeadline);
    }
    while (clock.nextDeadline === undefined) await Promise.resolve();
    ctx.controller.abort();
    assertEquals((await next).done, true);
    assertEquals(
      ctx.logLines.filter((l) => l.includes("/stat")).length,
      1,
      ctx.logLines.join("\n"),
    );
  }
});
