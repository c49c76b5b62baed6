/**
 * The cpu and cpufreq collectors: `/proc/stat` per-CPU times (USER_HZ = 100, as node_exporter
 * assumes), thermal throttle counts and cpufreq frequencies from sysfs.
 */
import { fields, lines } from "../host_files.ts";
import type { Collector } from "./types.ts";

const USER_HZ = 100;
const MODES = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"] as const;

/** node_cpu_seconds_total, node_cpu_guest_seconds_total and the throttle counters. */
export const cpu: Collector = {
  name: "cpu",
  update({ files }, out) {
    const text = files.read("cpu", `${files.procfs}/stat`);
    if (text === undefined) return;
    for (const line of lines(text)) {
      if (!/^cpu\d+\s/.test(line)) continue;
      const f = fields(line);
      const id = f[0]!.slice(3);
      const v = f.slice(1).map(Number);
      if (v.length < 8 || v.some((n) => !Number.isFinite(n))) {
        files.bad("cpu", "stat", line);
        continue;
      }
      MODES.forEach((mode, i) => {
        out.counter(
          "node_cpu_seconds_total",
          "Seconds the CPUs spent in each mode.",
          v[i]! / USER_HZ,
          { cpu: id, mode },
        );
      });
      const help = "Seconds the CPUs spent in guests (VMs) for each mode.";
      out.counter("node_cpu_guest_seconds_total", help, (v[8] ?? 0) / USER_HZ, {
        cpu: id,
        mode: "user",
      });
      out.counter("node_cpu_guest_seconds_total", help, (v[9] ?? 0) / USER_HZ, {
        cpu: id,
        mode: "nice",
      });
    }
    throttles(files, out);
  },
};

function cpuDirs(files: Parameters<Collector["update"]>[0]["files"], who: string): string[] {
  const base = `${files.sysfs}/devices/system/cpu`;
  return files.list(who, base).filter((n) => /^cpu\d+$/.test(n)).map((n) => `${base}/${n}`);
}

function throttles(
  files: Parameters<Collector["update"]>[0]["files"],
  out: Parameters<Collector["update"]>[1],
): void {
  const packages = new Set<string>();
  const cores = new Set<string>();
  for (const dir of cpuDirs(files, "cpu")) {
    const core = files.number("cpu", `${dir}/topology/core_id`);
    const pkg = files.number("cpu", `${dir}/topology/physical_package_id`);
    if (core === undefined || pkg === undefined) continue;
    const coreKey = `${pkg}/${core}`;
    if (!cores.has(coreKey)) {
      const n = files.number("cpu", `${dir}/thermal_throttle/core_throttle_count`);
      if (n !== undefined) {
        cores.add(coreKey);
        out.counter(
          "node_cpu_core_throttles_total",
          "Number of times this CPU core has been throttled.",
          n,
          { core: String(core), package: String(pkg) },
        );
      }
    }
    if (!packages.has(String(pkg))) {
      const n = files.number("cpu", `${dir}/thermal_throttle/package_throttle_count`);
      if (n !== undefined) {
        packages.add(String(pkg));
        out.counter(
          "node_cpu_package_throttles_total",
          "Number of times this CPU package has been throttled.",
          n,
          { package: String(pkg) },
        );
      }
    }
  }
}

const FREQS = [
  ["cpuinfo_cur_freq", "node_cpu_frequency_hertz", "Current CPU thread frequency in hertz."],
  ["cpuinfo_max_freq", "node_cpu_frequency_max_hertz", "Maximum CPU thread frequency in hertz."],
  ["cpuinfo_min_freq", "node_cpu_frequency_min_hertz", "Minimum CPU thread frequency in hertz."],
  [
    "scaling_cur_freq",
    "node_cpu_scaling_frequency_hertz",
    "Current scaled CPU thread frequency in hertz.",
  ],
  [
    "scaling_max_freq",
    "node_cpu_scaling_frequency_max_hertz",
    "Maximum scaled CPU thread frequency in hertz.",
  ],
  [
    "scaling_min_freq",
    "node_cpu_scaling_frequency_min_hertz",
    "Minimum scaled CPU thread frequency in hertz.",
  ],
] as const;

/** node_cpu_frequency_* and node_cpu_scaling_frequency_* from each CPU's cpufreq (kHz). */
export const cpufreq: Collector = {
  name: "cpufreq",
  update({ files }, out) {
    for (const dir of cpuDirs(files, "cpufreq")) {
      const id = dir.slice(dir.lastIndexOf("/cpu") + 4);
      for (const [file, name, help] of FREQS) {
        const khz = files.number("cpufreq", `${dir}/cpufreq/${file}`);
        if (khz !== undefined) out.gauge(name, help, khz * 1000, { cpu: id });
      }
    }
  },
};
