/** The node_exporter_metrics input: scheduling, bad input, options. */
import { FakeClock } from "../../../src/testing/fake_clock.ts";
import { assert, assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { testInputContext } from "../../../src/testing/input_context.ts";
import { OptionError } from "../../../src/plugin.ts";
import type { MetricChunk } from "../../../src/event/chunk.ts";
import { FIXTURE, neOptions, snapshotOf, value } from "./_testing.ts";
import { NodeExporterMetricsInput } from "./node_exporter_metrics.ts";
import { nodeExporterSettings } from "./settings.ts";
import { plugin } from "./mod.ts";
import { COLLECTORS } from "./collectors/mod.ts";
import { COLLECTOR_NAMES } from "./collectors/names.ts";

Deno.test("malformed procfs lines are counted and logged once per kind; the rest is kept", async () => {
  const all = ["cpu", "meminfo", "diskstats", "loadavg", "netdev", "filefd", "stat", "sockstat"];
  const { chunk, ctx } = await snapshotOf([...all, "netstat", "vmstat", "uname"], {
    "path.procfs": FIXTURE.badProcfs,
    "path.sysfs": "/nonexistent",
  });
  const r = chunk.records;
  // good lines next to bad ones still come through
  assertEquals(value(r, "node_memory_MemTotal_bytes"), 1024000);
  assertEquals(value(r, "node_memory_MemAvailable_bytes"), 512000);
  assertEquals(value(r, "node_memory_HugePages_Total"), 0);
  assertEquals(value(r, "node_cpu_seconds_total", { cpu: "1", mode: "user" }), 1);
  assertEquals(value(r, "node_cpu_seconds_total", { cpu: "0", mode: "user" }), undefined);
  assertEquals(value(r, "node_disk_reads_completed_total", { device: "vda" }), 1);
  assertEquals(value(r, "node_disk_reads_completed_total", { device: "sda" }), 1);
  assertEquals(value(r, "node_network_receive_bytes_total", { device: "eth1" }), 5);
  assertEquals(value(r, "node_context_switches_total"), 12345);
  assertEquals(value(r, "node_intr_total"), undefined);
  assertEquals(value(r, "node_sockstat_TCP_inuse"), 3);
  assertEquals(value(r, "node_netstat_Tcp_CurrEstab"), 5);
  assertEquals(value(r, "node_vmstat_pgfault"), 10);
  assertEquals(value(r, "node_load1"), undefined);
  assertEquals(value(r, "node_filefd_maximum"), undefined);
  const metrics = ctx.metrics as unknown as { value(n: string, l: Record<string, string>): number };
  const errors = (c: string) =>
    metrics.value("sluice_node_exporter_errors_total", { name: ctx.name, collector: c });
  assertEquals(errors("meminfo"), 3); // garbage, non-number, MB unit
  assertEquals(errors("diskstats"), 2); // short line, non-number
  assertEquals(errors("netdev"), 1);
  assertEquals(errors("loadavg"), 1);
  assertEquals(errors("filefd"), 1);
  const warned = ctx.logLines.filter((l) => l.includes("meminfo collector"));
  assertEquals(warned.length, 2, warned.join("\n")); // one per kind: line, unit
  // a second scrape counts again but logs nothing new
  const before = ctx.logLines.length;
  const input = new NodeExporterMetricsInput(
    nodeExporterSettings(neOptions({ metrics: ["meminfo"], "path.procfs": FIXTURE.badProcfs })),
    ctx,
  );
  await input.collectOnce();
  assertEquals(errors("meminfo"), 6);
  assertEquals(ctx.logLines.length, before);
});

Deno.test("a procfs that does not exist gives empty snapshots, not a crash", async () => {
  const { chunk } = await snapshotOf(["cpu", "meminfo", "stat", "netdev", "filesystem"], {
    "path.procfs": "/nonexistent/proc",
    "path.sysfs": "/nonexistent/sys",
  });
  assertEquals(chunk.records.length, 0);
  assertEquals(chunk.signal, "metrics");
});

Deno.test("snapshots every scrape_interval; a collector with its own interval updates on it", async () => {
  const clock = new FakeClock();
  const ctx = testInputContext({ clock });
  const settings = nodeExporterSettings(neOptions({
    metrics: ["loadavg", "time"],
    scrape_interval: 5,
    "collector.time.scrape_interval": 20,
  }));
  assertEquals(settings.collectors, [
    { name: "loadavg", intervalMs: 5000 },
    { name: "time", intervalMs: 20000 },
  ]);
  const input = new NodeExporterMetricsInput(settings, ctx);
  const it = input.chunks[Symbol.asyncIterator]();
  const got: MetricChunk[] = [];
  const first = await it.next();
  got.push(first.value as MetricChunk);
  for (let i = 0; i < 4; i++) {
    const next = it.next();
    while (clock.nextDeadline === undefined) await Promise.resolve();
    clock.set(clock.nextDeadline);
    got.push((await next).value as MetricChunk);
  }
  assertEquals(got.map((c) => c.records.map((m) => m.name)).at(-1), [
    "node_load1",
    "node_load5",
    "node_load15",
    "node_time_seconds",
    "node_time_zone_offset_seconds",
    "node_time_clocksource_available_info",
    "node_time_clocksource_current_info",
  ]);
  assertEquals(clock.now(), 20000);
  const times = got.map((c) =>
    JSON.stringify(
      c.records.find((m) => m.name === "node_time_seconds")?.data,
      (_, v) => typeof v === "bigint" ? String(v) : v,
    )
  );
  // time was collected at 0 s and next at 20 s: the snapshots at 5, 10 and 15 s repeat it
  assertEquals(new Set(times.slice(0, 4)).size, 1);
  assert(got.every((c) => c.signal === "metrics" && !c.ack.settled));
  ctx.controller.abort();
  assertEquals((await it.next()).done, true);
});

Deno.test("options: unknown collectors warn, scrape_interval 0 and an empty metrics list are refused", () => {
  const s = nodeExporterSettings(neOptions({ metrics: ["cpu", "bogus", "cpu"] }));
  assertEquals([s.collectors.map((c) => c.name), s.unknown], [["cpu"], ["bogus"]]);
  assertThrows(() => nodeExporterSettings(neOptions({ scrape_interval: 0 })), OptionError);
  assertThrows(() => nodeExporterSettings(neOptions({ metrics: [] })), OptionError);
  const t = nodeExporterSettings(neOptions({
    metrics: ["thermal_zone"],
    "collector.thermalzone.scrape_interval": 2,
  }));
  assertEquals(t.collectors, [{ name: "thermal_zone", intervalMs: 2000 }]);
});

Deno.test("the definition: Fluent Bit's name, metrics signal, default collector list", () => {
  assertEquals([plugin.name, plugin.kind, plugin.signals], [
    "node_exporter_metrics",
    "input",
    ["metrics"],
  ]);
  assertEquals(
    (plugin.options.metrics.default as string[]).join(","),
    "cpu,cpufreq,meminfo,diskstats,filesystem,uname,stat,time,loadavg,vmstat,netdev,netstat," +
      "sockstat,filefd,systemd,nvme,thermal_zone,hwmon",
  );
});

Deno.test("every collector name the settings accept has a collector", () => {
  assertEquals([...COLLECTORS.keys()].sort(), [...COLLECTOR_NAMES].sort());
});
