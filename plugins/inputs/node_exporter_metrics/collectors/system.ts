/** The loadavg, stat, time, uname and filefd collectors. */
import { fields, lines } from "../host_files.ts";
import type { Collector } from "./types.ts";

/** node_load1, node_load5, node_load15 from `/proc/loadavg`. */
export const loadavg: Collector = {
  name: "loadavg",
  update({ files }, out) {
    const text = files.read("loadavg", `${files.procfs}/loadavg`);
    if (text === undefined) return;
    const v = fields(text).slice(0, 3).map(Number);
    if (v.length < 3 || v.some((n) => !Number.isFinite(n))) {
      files.bad("loadavg", "line", text);
      return;
    }
    out.gauge("node_load1", "1m load average.", v[0]!);
    out.gauge("node_load5", "5m load average.", v[1]!);
    out.gauge("node_load15", "15m load average.", v[2]!);
  },
};

const STAT = {
  intr: ["counter", "node_intr_total", "Total number of interrupts serviced."],
  ctxt: ["counter", "node_context_switches_total", "Total number of context switches."],
  btime: ["gauge", "node_boot_time_seconds", "Node boot time, in unixtime."],
  processes: ["counter", "node_forks_total", "Total number of forks."],
  procs_running: ["gauge", "node_procs_running", "Number of processes in runnable state."],
  procs_blocked: [
    "gauge",
    "node_procs_blocked",
    "Number of processes blocked waiting for I/O to complete.",
  ],
} as const;

/** Interrupts, context switches, forks, boot time and process counts from `/proc/stat`. */
export const stat: Collector = {
  name: "stat",
  update({ files }, out) {
    const text = files.read("stat", `${files.procfs}/stat`);
    if (text === undefined) return;
    const seen = new Map<string, number>();
    for (const line of lines(text)) {
      const sp = line.indexOf(" ");
      const key = line.slice(0, sp);
      if (!(key in STAT)) continue;
      const v = Number(fields(line.slice(sp))[0]);
      if (!Number.isFinite(v)) files.bad("stat", "line", line);
      else seen.set(key, v);
    }
    // node_exporter's order: intr, ctxt, forks, btime, running, blocked
    for (const key of ["intr", "ctxt", "processes", "btime", "procs_running", "procs_blocked"]) {
      const v = seen.get(key);
      if (v === undefined) continue;
      const [type, name, help] = STAT[key as keyof typeof STAT];
      out.add(type, name, help, v, {});
    }
  },
};

/** The short name of the local time zone ("UTC", "CET"), as node_exporter labels it. */
const ZONE_FORMAT = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" });

function zoneName(at: Date): string {
  const part = ZONE_FORMAT.formatToParts(at).find((p) => p.type === "timeZoneName");
  return part?.value === "GMT" && at.getTimezoneOffset() === 0 ? "UTC" : part?.value ?? "UTC";
}

/** node_time_seconds, node_time_zone_offset_seconds and the clocksource info series. */
export const time: Collector = {
  name: "time",
  update({ files }, out) {
    const now = new Date();
    out.gauge(
      "node_time_seconds",
      "System time in seconds since epoch (1970).",
      now.getTime() / 1000,
    );
    out.gauge(
      "node_time_zone_offset_seconds",
      "System time zone offset in seconds.",
      -now.getTimezoneOffset() * 60,
      { time_zone: zoneName(now) },
    );
    const base = `${files.sysfs}/devices/system/clocksource`;
    const sources = files.list("time", base).filter((n) => /^clocksource\d+$/.test(n));
    const src = "read from '/sys/devices/system/clocksource'.";
    for (const dir of sources) {
      const device = dir.slice("clocksource".length);
      const available = files.read("time", `${base}/${dir}/available_clocksource`);
      for (const clocksource of fields(available ?? "").filter((s) => s !== "")) {
        out.gauge("node_time_clocksource_available_info", `Available clocksources ${src}`, 1, {
          clocksource,
          device,
        });
      }
    }
    for (const dir of sources) {
      const current = files.read("time", `${base}/${dir}/current_clocksource`)?.trim();
      if (!current) continue;
      out.gauge("node_time_clocksource_current_info", `Current clocksource ${src}`, 1, {
        clocksource: current,
        device: dir.slice("clocksource".length),
      });
    }
  },
};

const MACHINE: Record<string, string> = { x86_64: "x86_64", aarch64: "aarch64" };

/** node_uname_info from `<procfs>/sys/kernel/*` (what uname(2) reports). */
export const uname: Collector = {
  name: "uname",
  update({ files }, out) {
    const k = (f: string) => files.read("uname", `${files.procfs}/sys/kernel/${f}`)?.trim();
    const release = k("osrelease");
    if (release === undefined) return;
    out.gauge(
      "node_uname_info",
      "Labeled system information as provided by the uname system call.",
      1,
      {
        sysname: k("ostype") ?? "Linux",
        release,
        version: k("version") ?? "",
        machine: MACHINE[Deno.build.arch] ?? Deno.build.arch,
        nodename: k("hostname") ?? "",
        domainname: k("domainname") ?? "(none)",
      },
    );
  },
};

/** node_filefd_allocated and node_filefd_maximum from `/proc/sys/fs/file-nr`. */
export const filefd: Collector = {
  name: "filefd",
  update({ files }, out) {
    const text = files.read("filefd", `${files.procfs}/sys/fs/file-nr`);
    if (text === undefined) return;
    const f = fields(text).map(Number);
    if (f.length !== 3 || f.some((n) => !Number.isFinite(n))) {
      files.bad("filefd", "line", text);
      return;
    }
    out.gauge("node_filefd_allocated", "File descriptor statistics: allocated.", f[0]!);
    out.gauge("node_filefd_maximum", "File descriptor statistics: maximum.", f[2]!);
  },
};
