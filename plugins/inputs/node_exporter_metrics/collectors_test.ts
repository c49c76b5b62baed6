/** The collectors over testdata's procfs and sysfs, value by value. */
import { assert, assertEquals } from "../../../src/testing/assert.ts";
import { emptyResource, emptyScope } from "../../../src/event/span.ts";
import { points, snapshotOf, value } from "./_testing.ts";
import { addUnits } from "./collectors/systemd.ts";
import { Families, toMetricRecords } from "./families.ts";

Deno.test("cpu: per-CPU seconds from /proc/stat at USER_HZ 100, throttles from sysfs", async () => {
  const { chunk } = await snapshotOf(["cpu"]);
  const r = chunk.records;
  assertEquals(value(r, "node_cpu_seconds_total", { cpu: "0", mode: "user" }), 218.36);
  assertEquals(value(r, "node_cpu_seconds_total", { cpu: "1", mode: "steal" }), 0.76);
  assertEquals(points(r, "node_cpu_seconds_total").length, 16);
  assertEquals(value(r, "node_cpu_guest_seconds_total", { cpu: "1", mode: "nice" }), 0);
  assertEquals(points(r, "node_cpu_core_throttles_total"), [
    [{ core: "0", package: "0" }, 0],
    [{ core: "1", package: "0" }, 5],
  ]);
  assertEquals(points(r, "node_cpu_package_throttles_total"), [[{ package: "0" }, 7]]);
  assertEquals(r.find((m) => m.name === "node_cpu_seconds_total")?.data.sum !== undefined, true);
});

Deno.test("cpufreq: kHz from sysfs as hertz per CPU", async () => {
  const { chunk } = await snapshotOf(["cpufreq"]);
  assertEquals(value(chunk.records, "node_cpu_frequency_max_hertz", { cpu: "1" }), 3.6e9);
  assertEquals(value(chunk.records, "node_cpu_scaling_frequency_hertz", { cpu: "0" }), 1.7e9);
});

Deno.test("meminfo: kB lines as _bytes, unitless lines as they are, (anon) as _anon", async () => {
  const { chunk } = await snapshotOf(["meminfo"]);
  const r = chunk.records;
  assertEquals(value(r, "node_memory_MemTotal_bytes"), 24683784 * 1024);
  assertEquals(value(r, "node_memory_HugePages_Total"), 0);
  assert(r.some((m) => m.name === "node_memory_Active_anon_bytes"));
  assertEquals(
    r.find((m) => m.name === "node_memory_MemTotal_bytes")?.description,
    "Memory information field MemTotal_bytes.",
  );
});

Deno.test("diskstats: sectors as bytes, ms as seconds, partitions and loops skipped", async () => {
  const { chunk } = await snapshotOf(["diskstats"]);
  const r = chunk.records;
  assertEquals(value(r, "node_disk_read_bytes_total", { device: "vda" }), 2557018 * 512);
  assertEquals(value(r, "node_disk_write_time_seconds_total", { device: "vda" }), 22.293);
  assertEquals(value(r, "node_disk_flush_requests_total", { device: "vda" }), 1232);
  assertEquals(value(r, "node_disk_io_now", { device: "vda" }), 0);
  assertEquals(points(r, "node_disk_io_now").map(([l]) => l.device), ["vda", "zram0"]);
});

Deno.test("filesystem: mounts not ignored, octal escapes undone, a failed statfs is a device error", async () => {
  const { chunk } = await snapshotOf(["filesystem"]);
  const r = chunk.records;
  const mounts = points(r, "node_filesystem_device_error").map(([l]) => l.mountpoint);
  assert(!mounts.includes("/proc") && !mounts.includes("/sys"), `${mounts}`);
  assertEquals(
    value(r, "node_filesystem_device_error", {
      device: "/dev/vdb",
      fstype: "ext4",
      mountpoint: "/data disk",
    }),
    1,
  );
  const size = value(r, "node_filesystem_size_bytes", {
    device: "/dev/vda",
    fstype: "ext4",
    mountpoint: "/",
  });
  assert(typeof size === "number" && size > 0, `size of / is ${size}`);
});

Deno.test("loadavg, stat, filefd, uname, vmstat from the fixture", async () => {
  const { chunk } = await snapshotOf(["loadavg", "stat", "filefd", "uname", "vmstat"]);
  const r = chunk.records;
  assertEquals(value(r, "node_load1"), 3.34);
  assertEquals(value(r, "node_load15"), 1.19);
  assertEquals(value(r, "node_intr_total"), 676234);
  assertEquals(value(r, "node_context_switches_total"), 1639813);
  assertEquals(value(r, "node_boot_time_seconds"), 1796589337);
  assertEquals(value(r, "node_filefd_allocated"), 696);
  assertEquals(value(r, "node_filefd_maximum"), 2466255);
  const [[labels]] = points(r, "node_uname_info") as [[Record<string, string>, unknown]];
  assertEquals([labels.sysname, labels.nodename, labels.domainname], ["Linux", "vm", "(none)"]);
  const vm = r.find((m) => m.name === "node_vmstat_pgfault");
  assertEquals(vm?.metadata, { "prometheus.type": "unknown" });
  assertEquals(r.filter((m) => m.name.startsWith("node_vmstat_")).length, 7);
});

Deno.test("netdev, netstat, sockstat from /proc/net", async () => {
  const { chunk } = await snapshotOf(["netdev", "netstat", "sockstat"]);
  const r = chunk.records;
  assertEquals(value(r, "node_network_receive_bytes_total", { device: "eth0" }), 101174366);
  assertEquals(value(r, "node_network_transmit_packets_total", { device: "eth0" }), 3739);
  assertEquals(value(r, "node_network_receive_nohandler_total", { device: "eth0" }), 3);
  assert(r.some((m) => m.name === "node_netstat_Tcp_CurrEstab"));
  assert(r.some((m) => m.name === "node_netstat_Ip6_InOctets"));
  assert(!r.some((m) => m.name === "node_netstat_Tcp_RtoAlgorithm"), "not in the default set");
  assert(r.some((m) => m.name === "node_sockstat_TCP_mem_bytes"));
  assert(r.some((m) => m.name === "node_sockstat_TCP6_inuse"));
});

Deno.test("processes: states of processes and threads, a command with parentheses", async () => {
  const { chunk } = await snapshotOf(["processes"]);
  const r = chunk.records;
  assertEquals(value(r, "node_processes_pids"), 2);
  assertEquals(value(r, "node_processes_threads"), 3);
  assertEquals(value(r, "node_processes_state", { state: "R" }), 1);
  assertEquals(value(r, "node_processes_threads_state", { thread_state: "D" }), 1);
  assertEquals(value(r, "node_processes_max_processes"), 32768);
});

Deno.test("thermal_zone, hwmon, nvme and time from sysfs", async () => {
  const { chunk } = await snapshotOf(["thermal_zone", "hwmon", "nvme", "time"]);
  const r = chunk.records;
  assertEquals(points(r, "node_thermal_zone_temp"), [[{ zone: "0", type: "x86_pkg_temp" }, 45]]);
  assertEquals(value(r, "node_cooling_device_max_state", { name: "0", type: "Processor" }), 10);
  const chip = { chip: "coretemp", sensor: "Package id 0" };
  assertEquals(value(r, "node_hwmon_temp_celsius", chip), 52);
  assertEquals(value(r, "node_hwmon_temp_crit_celsius", chip), 100);
  assertEquals(value(r, "node_hwmon_fan_rpm", { chip: "coretemp", sensor: "fan1" }), 1200);
  assertEquals(value(r, "node_hwmon_in_volts", { chip: "coretemp", sensor: "in0" }), 1.25);
  assertEquals(value(r, "node_hwmon_power_watts", { chip: "coretemp", sensor: "power1" }), 15);
  assertEquals(points(r, "node_nvme_info"), [[{
    device: "nvme0",
    firmware_revision: "1B2QEXM7",
    model: "Samsung SSD 970 EVO 1TB",
    serial: "S467NX0M123456",
    state: "live",
  }, 1]]);
  assertEquals(points(r, "node_time_clocksource_available_info").map(([l]) => l.clocksource), [
    "kvm-clock",
    "tsc",
  ]);
});

Deno.test("hwmon chip and sensor regexes filter", async () => {
  const { chunk } = await snapshotOf(["hwmon"], {
    "collector.hwmon.sensor-exclude": /^(fan|in|power)/,
  });
  assertEquals(chunk.records.map((m) => m.name), [
    "node_hwmon_temp_celsius",
    "node_hwmon_temp_max_celsius",
    "node_hwmon_temp_crit_celsius",
  ]);
  const none = await snapshotOf(["hwmon"], { "collector.hwmon.chip-include": /^nct/ });
  assertEquals(none.chunk.records.length, 0);
});

Deno.test("textfile: *.prom files, their mtimes and the error gauge", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/a.prom`,
      '# HELP job_ok Whether the job ran.\n# TYPE job_ok gauge\njob_ok{job="backup"} 1\n',
    );
    await Deno.writeTextFile(`${dir}/b.prom`, "broken line here\nother_metric 5\n");
    await Deno.writeTextFile(`${dir}/ignored.txt`, "x 1\n");
    const { chunk, ctx } = await snapshotOf(["textfile"], { "collector.textfile.path": dir });
    const r = chunk.records;
    assertEquals(points(r, "job_ok"), [[{ job: "backup" }, 1]]);
    assertEquals(r.find((m) => m.name === "job_ok")?.description, "Whether the job ran.");
    assertEquals(value(r, "other_metric"), 5);
    assertEquals(points(r, "node_textfile_mtime_seconds").length, 2);
    assertEquals(value(r, "node_textfile_scrape_error"), 1);
    assert(ctx.logLines.some((l) => l.includes("broken line here")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("systemd: unit states and counts from systemctl list-units output", () => {
  const out = new Families(1n);
  addUnits(
    [
      "cron.service          loaded active   running Regular background program processing daemon",
      "ssh.service           loaded failed   failed  OpenBSD Secure Shell server",
      "dev-sda.device        loaded active   plugged QEMU_HARDDISK",
      "apt-daily.timer       loaded inactive dead    Daily apt download activities",
      "",
    ].join("\n"),
    out,
    { exclude: /.+\.(automount|device|mount|scope|slice)/ },
  );
  const r = toMetricRecords(out.list(), emptyResource(), emptyScope());
  assertEquals(
    value(r, "node_systemd_unit_state", { name: "ssh.service", state: "failed", type: "service" }),
    1,
  );
  assertEquals(
    value(r, "node_systemd_unit_state", { name: "ssh.service", state: "active", type: "service" }),
    0,
  );
  assertEquals(value(r, "node_systemd_units", { state: "active" }), 1);
  assertEquals(value(r, "node_systemd_units", { state: "inactive" }), 1);
  assert(!points(r, "node_systemd_unit_state").some(([l]) => l.name === "dev-sda.device"));
});
