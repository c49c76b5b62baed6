/** The node_exporter_metrics input's settings from its parsed options. */
import { OptionError } from "../../../src/plugin.ts";
import { COLLECTOR_NAMES } from "./collectors/names.ts";
import type { NodeExporterMetricsOptions } from "./options.ts";

/** What the input runs with. */
export interface NodeExporterSettings {
  /** Milliseconds between snapshots sent down the pipeline. */
  scrapeMs: number;
  /** Enabled collectors in `metrics` order, each with its update period in milliseconds. */
  collectors: { name: string; intervalMs: number }[];
  /** Collector names in `metrics` that sluice does not know (warned once, skipped). */
  unknown: string[];
  procfs: string;
  sysfs: string;
  rootfs: string;
  textfilePath: string | undefined;
  systemdRestarts: boolean;
  systemdStartTimes: boolean;
  systemdTasks: boolean;
  systemdInclude: RegExp | undefined;
  systemdExclude: RegExp | undefined;
  fsIgnoreMountPoint: RegExp;
  fsIgnoreType: RegExp;
  diskstatsIgnoreDevice: RegExp;
  hwmonChipInclude: RegExp | undefined;
  hwmonChipExclude: RegExp | undefined;
  hwmonSensorInclude: RegExp | undefined;
  hwmonSensorExclude: RegExp | undefined;
}

const NEVER = /$^/;

/**
 * Checks and converts the parsed options; throws OptionError about a key it refuses.
 *
 * @example
 * ```ts
 * import { defaultsOf } from "../../../src/config/options.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { nodeExporterMetricsOptions } from "./options.ts";
 *
 * const o = { ...defaultsOf(nodeExporterMetricsOptions), metrics: ["cpu", "meminfo"] };
 * assertEquals(nodeExporterSettings(o).collectors.map((c) => c.name), ["cpu", "meminfo"]);
 * ```
 */
export function nodeExporterSettings(o: NodeExporterMetricsOptions): NodeExporterSettings {
  if (!(o.scrape_interval > 0)) {
    throw new OptionError("scrape_interval", "scrape_interval must be more than 0, e.g. 5s");
  }
  if (o.metrics.length === 0) {
    throw new OptionError("metrics", "no metrics is specified: name collectors, e.g. cpu,meminfo");
  }
  const scrapeMs = o.scrape_interval * 1000;
  const collectors: NodeExporterSettings["collectors"] = [];
  const unknown: string[] = [];
  const raw = o as unknown as Record<string, number>;
  for (const name of o.metrics) {
    if (!COLLECTOR_NAMES.has(name)) {
      unknown.push(name);
      continue;
    }
    if (collectors.some((c) => c.name === name)) continue;
    const key = name === "thermal_zone" ? "thermalzone" : name;
    const own = raw[`collector.${key}.scrape_interval`] ?? 0;
    collectors.push({ name, intervalMs: own > 0 ? own * 1000 : scrapeMs });
  }
  return {
    scrapeMs,
    collectors,
    unknown,
    procfs: o["path.procfs"],
    sysfs: o["path.sysfs"],
    rootfs: o["path.rootfs"],
    textfilePath: o["collector.textfile.path"],
    systemdRestarts: o.systemd_service_restart_metrics,
    systemdStartTimes: o.systemd_unit_start_time_metrics,
    systemdTasks: o.systemd_include_service_task_metrics,
    systemdInclude: o.systemd_include_pattern,
    systemdExclude: o.systemd_exclude_pattern,
    fsIgnoreMountPoint: o["filesystem.ignore_mount_point_regex"] ?? NEVER,
    fsIgnoreType: o["filesystem.ignore_filesystem_type_regex"] ?? NEVER,
    diskstatsIgnoreDevice: o["diskstats.ignore_device_regex"] ?? NEVER,
    hwmonChipInclude: o["collector.hwmon.chip-include"],
    hwmonChipExclude: o["collector.hwmon.chip-exclude"],
    hwmonSensorInclude: o["collector.hwmon.sensor-include"],
    hwmonSensorExclude: o["collector.hwmon.sensor-exclude"],
  };
}
