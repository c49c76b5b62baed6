/** Every node_exporter_metrics collector, by the name `metrics` enables it with. */
import { cpu, cpufreq } from "./cpu.ts";
import { diskstats } from "./diskstats.ts";
import { filesystem } from "./filesystem.ts";
import { meminfo, vmstat } from "./memory.ts";
import { netdev, netstat, sockstat } from "./network.ts";
import { processes } from "./processes.ts";
import { hwmon, nvme, thermalZone } from "./sensors.ts";
import { filefd, loadavg, stat, time, uname } from "./system.ts";
import { systemd } from "./systemd.ts";
import { textfile } from "./textfile.ts";
import type { Collector } from "./types.ts";

/** The collectors by name. */
export const COLLECTORS: ReadonlyMap<string, Collector> = new Map(
  [
    cpu,
    cpufreq,
    meminfo,
    diskstats,
    filesystem,
    uname,
    stat,
    time,
    loadavg,
    vmstat,
    netdev,
    netstat,
    sockstat,
    filefd,
    textfile,
    systemd,
    processes,
    nvme,
    thermalZone,
    hwmon,
  ].map((c) => [c.name, c]),
);
