import { assertEquals } from "../../../src/testing/assert.ts";
import { testInputContext } from "../../../src/testing/input_context.ts";
import { findPid, ProcInput, vmFields } from "./proc.ts";

const procfs = new URL("../../../testdata/node_exporter/proc", import.meta.url).pathname;
const base = { interval_sec: 1, interval_nsec: 0, alert: false, mem: true, fd: true };

Deno.test("proc: finds the process by its command's basename; reports memory × 1000 and fds", () => {
  assertEquals(findPid(procfs, "mydaemon"), 42);
  assertEquals(findPid(procfs, "other"), -1);
  const input = new ProcInput({ ...base, proc_name: "mydaemon" }, testInputContext(), procfs);
  const r = input.sample();
  assertEquals([r?.alive, r?.pid, r?.proc_name, r?.fd], [true, 42, "mydaemon", 3]);
  assertEquals([r?.["mem.VmPeak"], r?.["mem.VmRSS"], r?.["mem.VmLck"]], [10_000_000, 4_000_000, 0]);
});

Deno.test("proc: a process not running is alive false, pid -1, zeros; alert only then", () => {
  const dead = new ProcInput(
    { ...base, proc_name: "gone", alert: true },
    testInputContext(),
    procfs,
  );
  const r = dead.sample();
  assertEquals([r?.alive, r?.pid, r?.fd, r?.["mem.VmSize"]], [false, -1, 0, 0]);
  const alive = new ProcInput(
    { ...base, proc_name: "mydaemon", alert: true },
    testInputContext(),
    procfs,
  );
  assertEquals(alive.sample(), undefined);
  assertEquals(Object.keys(vmFields("")).length, 11);
});
