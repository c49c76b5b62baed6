/** The node_exporter_metrics input's option table: Fluent Bit 4.2.8's keys and defaults. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Collectors on by default on Linux (Fluent Bit's NE_DEFAULT_ENABLED_METRICS). */
export const DEFAULT_METRICS = [
  "cpu",
  "cpufreq",
  "meminfo",
  "diskstats",
  "filesystem",
  "uname",
  "stat",
  "time",
  "loadavg",
  "vmstat",
  "netdev",
  "netstat",
  "sockstat",
  "filefd",
  "systemd",
  "nvme",
  "thermal_zone",
  "hwmon",
];

/** The collector names of the `collector.<name>.scrape_interval` keys, as Fluent Bit declares them. */
export const INTERVAL_KEYS = [
  "cpu",
  "cpufreq",
  "meminfo",
  "diskstats",
  "filesystem",
  "uname",
  "stat",
  "time",
  "loadavg",
  "vmstat",
  "netdev",
  "netstat",
  "sockstat",
  "filefd",
  "textfile",
  "systemd",
  "processes",
  "thermalzone",
  "nvme",
  "hwmon",
] as const;

const IGNORED_MOUNT_POINTS =
  "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
const IGNORED_FS_TYPES =
  "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|" +
  "iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|" +
  "sysfs|tracefs)$";
const IGNORED_DEVICES = "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$";

/** A regular expression option, compiled when the config is loaded. */
function regex(def: string | undefined, description: string) {
  return opt.custom<RegExp, RegExp | undefined>(
    (raw) => {
      const s = String(raw);
      try {
        return new RegExp(s);
      } catch (e) {
        throw new SyntaxError(`expected a regular expression, got "${s}": ${(e as Error).message}`);
      }
    },
    def === undefined ? undefined : new RegExp(def),
    description,
    { shows: "regex", ...(def === undefined ? {} : { showsDefault: def }) },
  );
}

function intervals() {
  const table: Record<string, ReturnType<typeof opt.duration<number>>> = {};
  for (const name of INTERVAL_KEYS) {
    table[`collector.${name}.scrape_interval`] = opt.duration(
      0,
      `Seconds between ${name} updates; 0 uses scrape_interval`,
    );
  }
  return table as Record<
    `collector.${(typeof INTERVAL_KEYS)[number]}.scrape_interval`,
    ReturnType<typeof opt.duration<number>>
  >;
}

/** Every key of Fluent Bit's node_exporter_metrics input. */
export const nodeExporterMetricsOptions = {
  scrape_interval: opt.duration(5, "Seconds between metric snapshots sent down the pipeline"),
  ...intervals(),
  metrics: opt.list(DEFAULT_METRICS, "Collectors to enable (processes and textfile are opt-in)"),
  "collector.textfile.path": opt.string(
    undefined,
    "File or directory of *.prom files for the textfile collector",
  ),
  "path.rootfs": opt.string("/", "Root filesystem mount point (prefixed to statfs paths)"),
  "path.procfs": opt.string("/proc", "procfs mount point"),
  "path.sysfs": opt.string("/sys", "sysfs mount point"),
  systemd_service_restart_metrics: opt.bool(false, "Include systemd service restart metrics"),
  systemd_unit_start_time_metrics: opt.bool(false, "Include systemd unit start time metrics"),
  systemd_include_service_task_metrics: opt.bool(false, "Include systemd service task metrics"),
  systemd_include_pattern: regex(undefined, "Only systemd units whose name matches"),
  systemd_exclude_pattern: regex(
    ".+\\.(automount|device|mount|scope|slice)",
    "Skip systemd units whose name matches",
  ),
  "filesystem.ignore_mount_point_regex": regex(
    IGNORED_MOUNT_POINTS,
    "Mount points the filesystem collector skips",
  ),
  "filesystem.ignore_filesystem_type_regex": regex(
    IGNORED_FS_TYPES,
    "Filesystem types the filesystem collector skips",
  ),
  "diskstats.ignore_device_regex": regex(IGNORED_DEVICES, "Devices the diskstats collector skips"),
  "collector.hwmon.chip-include": regex(undefined, "Only hwmon chips whose name matches"),
  "collector.hwmon.chip-exclude": regex(undefined, "Skip hwmon chips whose name matches"),
  "collector.hwmon.sensor-include": regex(undefined, "Only hwmon sensors whose name matches"),
  "collector.hwmon.sensor-exclude": regex(undefined, "Skip hwmon sensors whose name matches"),
} satisfies OptionTable;

/** Parsed node_exporter_metrics options. */
export type NodeExporterMetricsOptions = OptionValues<typeof nodeExporterMetricsOptions>;
