/** The diskstats collector: `/proc/diskstats`, partitions and virtual devices skipped by regex. */
import { fields, lines } from "../host_files.ts";
import type { Collector } from "./types.ts";

/** [column, type, name, help, scale]; sectors are 512 bytes, times milliseconds. */
const COLUMNS = [
  [0, "counter", "reads_completed_total", "The total number of reads completed successfully.", 1],
  [1, "counter", "reads_merged_total", "The total number of reads merged.", 1],
  [2, "counter", "read_bytes_total", "The total number of bytes read successfully.", 512],
  [
    3,
    "counter",
    "read_time_seconds_total",
    "The total number of seconds spent by all reads.",
    1e-3,
  ],
  [4, "counter", "writes_completed_total", "The total number of writes completed successfully.", 1],
  [5, "counter", "writes_merged_total", "The number of writes merged.", 1],
  [6, "counter", "written_bytes_total", "The total number of bytes written successfully.", 512],
  [
    7,
    "counter",
    "write_time_seconds_total",
    "This is the total number of seconds spent by all writes.",
    1e-3,
  ],
  [8, "gauge", "io_now", "The number of I/Os currently in progress.", 1],
  [9, "counter", "io_time_seconds_total", "Total seconds spent doing I/Os.", 1e-3],
  [
    10,
    "counter",
    "io_time_weighted_seconds_total",
    "The weighted # of seconds spent doing I/Os.",
    1e-3,
  ],
  [
    11,
    "counter",
    "discards_completed_total",
    "The total number of discards completed successfully.",
    1,
  ],
  [12, "counter", "discards_merged_total", "The total number of discards merged.", 1],
  [
    13,
    "counter",
    "discarded_sectors_total",
    "The total number of sectors discarded successfully.",
    1,
  ],
  [
    14,
    "counter",
    "discard_time_seconds_total",
    "This is the total number of seconds spent by all discards.",
    1e-3,
  ],
  [
    15,
    "counter",
    "flush_requests_total",
    "The total number of flush requests completed successfully",
    1,
  ],
  [
    16,
    "counter",
    "flush_requests_time_seconds_total",
    "This is the total number of seconds spent by all flush requests.",
    1e-3,
  ],
] as const;

const UDEV_KEYS = {
  model: "ID_MODEL",
  path: "ID_PATH",
  revision: "ID_REVISION",
  serial: "ID_SERIAL_SHORT",
  wwn: "ID_WWN",
} as const;

/** The udev properties of block device `major:minor` (node_exporter's node_disk_info labels). */
function udevInfo(major: string, minor: string): Record<string, string> {
  const props = new Map<string, string>();
  try {
    for (const line of Deno.readTextFileSync(`/run/udev/data/b${major}:${minor}`).split("\n")) {
      const eq = line.indexOf("=");
      if (line.startsWith("E:") && eq > 0) props.set(line.slice(2, eq), line.slice(eq + 1));
    }
  } catch {
    // no udev database: the labels stay empty, as node_exporter leaves them
  }
  const out: Record<string, string> = {};
  for (const [label, key] of Object.entries(UDEV_KEYS)) out[label] = props.get(key) ?? "";
  return out;
}

/** node_disk_* per device, and node_disk_info with its udev labels. */
export const diskstats: Collector = {
  name: "diskstats",
  update({ files, settings }, out) {
    const text = files.read("diskstats", `${files.procfs}/diskstats`);
    if (text === undefined) return;
    for (const line of lines(text)) {
      const f = fields(line);
      const device = f[2];
      if (f.length < 14 || device === undefined) {
        files.bad("diskstats", "line", line);
        continue;
      }
      if (settings.diskstatsIgnoreDevice.test(device)) continue;
      const v = f.slice(3).map(Number);
      if (v.some((n) => !Number.isFinite(n))) {
        files.bad("diskstats", "line", line);
        continue;
      }
      out.gauge("node_disk_info", "Info of /sys/block/<block_device>.", 1, {
        device,
        major: f[0]!,
        minor: f[1]!,
        ...udevInfo(f[0]!, f[1]!),
      });
      for (const [col, type, name, help, scale] of COLUMNS) {
        const raw = v[col];
        if (raw === undefined) break;
        out.add(type, `node_disk_${name}`, help, raw * scale, { device });
      }
    }
  },
};
