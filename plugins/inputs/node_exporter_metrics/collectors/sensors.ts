/** The thermal_zone, hwmon and nvme collectors: sysfs classes. */
import type { HostFiles } from "../host_files.ts";
import type { Collector } from "./types.ts";

function readTrim(files: HostFiles, who: string, path: string): string | undefined {
  return files.read(who, path)?.trim();
}

/** node_thermal_zone_temp{zone,type} and node_cooling_device_{cur,max}_state{name,type}. */
export const thermalZone: Collector = {
  name: "thermal_zone",
  update({ files }, out) {
    const base = `${files.sysfs}/class/thermal`;
    const names = files.list("thermal_zone", base);
    for (const n of names.filter((n) => /^thermal_zone\d+$/.test(n))) {
      const temp = files.number("thermal_zone", `${base}/${n}/temp`);
      const type = readTrim(files, "thermal_zone", `${base}/${n}/type`);
      if (temp === undefined || type === undefined) continue;
      out.gauge("node_thermal_zone_temp", "Zone temperature in Celsius", temp / 1000, {
        zone: n.slice("thermal_zone".length),
        type,
      });
    }
    for (const n of names.filter((n) => /^cooling_device\d+$/.test(n))) {
      const cur = files.number("thermal_zone", `${base}/${n}/cur_state`);
      const max = files.number("thermal_zone", `${base}/${n}/max_state`);
      const type = readTrim(files, "thermal_zone", `${base}/${n}/type`);
      if (cur === undefined || max === undefined || type === undefined) continue;
      const labels = { name: n.slice("cooling_device".length), type };
      out.gauge(
        "node_cooling_device_cur_state",
        "Current throttle state of the cooling device",
        cur,
        labels,
      );
      out.gauge(
        "node_cooling_device_max_state",
        "Maximum throttle state of the cooling device",
        max,
        labels,
      );
    }
  },
};

const SENSORS = [
  [
    "temp",
    "node_hwmon_temp_celsius",
    "Hardware monitor temperature sensor data in degrees celsius",
    1e-3,
  ],
  ["in", "node_hwmon_in_volts", "Hardware monitor voltage sensor data in volts", 1e-3],
  ["fan", "node_hwmon_fan_rpm", "Hardware monitor fan speed in rotations per minute", 1],
  ["power", "node_hwmon_power_watts", "Hardware monitor power sensor data in watts", 1e-6],
] as const;

function allowed(include: RegExp | undefined, exclude: RegExp | undefined, s: string): boolean {
  return (!include || include.test(s)) && !(exclude && exclude.test(s));
}

/** node_hwmon_*{chip,sensor}: chip from the `name` file, sensor its `_label` or its name. */
export const hwmon: Collector = {
  name: "hwmon",
  update({ files, settings }, out) {
    const base = `${files.sysfs}/class/hwmon`;
    for (const h of files.list("hwmon", base).filter((n) => n.startsWith("hwmon"))) {
      const dir = `${base}/${h}`;
      const chip = readTrim(files, "hwmon", `${dir}/name`);
      if (
        chip === undefined || !allowed(settings.hwmonChipInclude, settings.hwmonChipExclude, chip)
      ) {
        continue;
      }
      for (const file of files.list("hwmon", dir).filter((n) => n.endsWith("_input"))) {
        const sensor = file.slice(0, -"_input".length);
        if (!allowed(settings.hwmonSensorInclude, settings.hwmonSensorExclude, sensor)) continue;
        const kind = SENSORS.find(([prefix]) => sensor.startsWith(prefix));
        if (!kind) continue;
        const v = files.number("hwmon", `${dir}/${file}`);
        if (v === undefined) continue;
        const label = readTrim(files, "hwmon", `${dir}/${sensor}_label`) ?? sensor;
        const labels = { chip, sensor: label };
        out.gauge(kind[1], kind[2], v * kind[3], labels);
        if (kind[0] !== "temp") continue;
        const max = files.number("hwmon", `${dir}/${sensor}_max`);
        if (max !== undefined) {
          out.gauge(
            "node_hwmon_temp_max_celsius",
            "Hardware monitor temperature maximum in degrees celsius",
            max / 1000,
            labels,
          );
        }
        const crit = files.number("hwmon", `${dir}/${sensor}_crit`);
        if (crit !== undefined) {
          out.gauge(
            "node_hwmon_temp_crit_celsius",
            "Hardware monitor temperature critical in degrees celsius",
            crit / 1000,
            labels,
          );
        }
      }
    }
  },
};

/** node_nvme_info{device,firmware_revision,model,serial,state} = 1 per NVMe controller. */
export const nvme: Collector = {
  name: "nvme",
  update({ files }, out) {
    const base = `${files.sysfs}/class/nvme`;
    for (const device of files.list("nvme", base).filter((n) => /^nvme\d+$/.test(n))) {
      const r = (f: string) => readTrim(files, "nvme", `${base}/${device}/${f}`) ?? "";
      out.gauge("node_nvme_info", "Non-numeric data from /sys/class/nvme/<device>", 1, {
        device,
        firmware_revision: r("firmware_rev"),
        model: r("model"),
        serial: r("serial"),
        state: r("state"),
      });
    }
  },
};
