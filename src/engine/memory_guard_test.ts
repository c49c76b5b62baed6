import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { until } from "../testing/until.ts";
import { parseMemorySize } from "../config/memory_size.ts";
import { serviceOptions } from "../config/common_options.ts";
import { parseValue } from "../config/options.ts";
import { Logger, memorySink } from "./log.ts";
import { MemoryGuard, memoryGuardSettings } from "./memory_guard.ts";
import { MetricsRegistry } from "./metrics.ts";

Deno.test("MemoryGuard pauses over the limit, logs once, and resumes below the mark", async () => {
  let used = 10;
  const sink = memorySink();
  const lines = sink.lines;
  const metrics = new MetricsRegistry();
  const guard = new MemoryGuard({ limit: 100, resume: 80, checkMs: 10 }, {
    log: new Logger({ level: "info", sink }),
    metrics,
    meter: () => used,
  });
  guard.observe();
  assertEquals(guard.paused, false);
  used = 150;
  await new Promise((r) => setTimeout(r, 120)); // past the 100 ms between measures
  guard.observe();
  await until(() => guard.paused, "the guard to pause");
  let resumed = false;
  const waiting = guard.whenResumed().then(() => (resumed = true));
  used = 90; // below the limit, above the resume mark: still paused
  await new Promise((r) => setTimeout(r, 50));
  assertEquals(resumed, false);
  used = 70;
  await waiting;
  assertEquals(guard.paused, false);
  assertEquals(lines.filter((l) => l.includes("over sluice.memory_limit")).length, 1);
  assertEquals(metrics.value("sluice_memory_limit_pauses_total", {}), 1);
  assertEquals(metrics.value("sluice_memory_used_bytes", {}), 70);
  guard.close();
});

Deno.test("sluice.memory_limit takes a size, a percentage or off", () => {
  assertEquals(parseMemorySize("200M"), { bytes: 200_000_000 });
  assertEquals(parseMemorySize("25%"), { percent: 25 });
  assertEquals(parseMemorySize("off"), undefined);
  assertThrows(() => parseMemorySize("150%"), RangeError);
  assertThrows(() => parseMemorySize("lots"), SyntaxError, "a percentage like 25%");
  const spec = serviceOptions["sluice.memory_limit"];
  assertEquals(parseValue(spec, "64M"), { bytes: 64_000_000 });
});

Deno.test("memoryGuardSettings takes a percentage limit of the host and a resume mark of it", () => {
  const base = {
    "sluice.memory_limit": { percent: 50 },
    "sluice.memory_limit.resume": { percent: 90 },
    "sluice.memory_limit.check_interval": 0.5,
  };
  const s = memoryGuardSettings(base as never);
  assert(s !== undefined && s.limit > 0 && s.limit <= Deno.systemMemoryInfo().total / 2 + 1);
  assertEquals(s.resume, Math.floor(s.limit * 0.9));
  assertEquals(s.checkMs, 500);
  const none = memoryGuardSettings({ ...base, "sluice.memory_limit": undefined } as never);
  assertEquals(none, undefined);
});
