/**
 * The filesystem collector: the mounts of `<procfs>/1/mounts` (or `self/mounts`) not ignored
 * by the mount point and type regexes, each measured by statvfs with a timeout.
 */
import { fields, lines } from "../host_files.ts";
import { statvfs, statvfsUnavailable } from "./statvfs.ts";
import type { Collector } from "./types.ts";

/** How long one statvfs may take before the mount is reported as a device error. */
const STAT_TIMEOUT_MS = 5000;

const FAMILIES = [
  ["avail_bytes", "Filesystem space available to non-root users in bytes."],
  ["device_error", "Whether an error occurred while getting statistics for the given device."],
  ["files", "Filesystem total file nodes."],
  ["files_free", "Filesystem total free file nodes."],
  ["free_bytes", "Filesystem free space in bytes."],
  ["readonly", "Filesystem read-only status."],
  ["size_bytes", "Filesystem size in bytes."],
] as const;

/** Octal escapes of /proc mounts (\040 space, \011 tab, \012, \134). */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** node_filesystem_*{device,fstype,mountpoint}. */
export const filesystem: Collector = {
  name: "filesystem",
  async update({ files, settings }, out) {
    const text = files.read("filesystem", `${files.procfs}/1/mounts`) ??
      files.read("filesystem", `${files.procfs}/self/mounts`);
    if (text === undefined) return;
    const unavailable = statvfsUnavailable();
    if (unavailable) {
      files.unavailable(
        "filesystem",
        `statvfs is unavailable (run with --allow-ffi): ${unavailable}`,
      );
      return;
    }
    const seen = new Set<string>();
    for (const line of lines(text)) {
      const f = fields(line);
      if (f.length < 4) {
        files.bad("filesystem", "line", line);
        continue;
      }
      const device = unescape(f[0]!);
      const mountpoint = unescape(f[1]!);
      const fstype = f[2]!;
      if (settings.fsIgnoreType.test(fstype) || settings.fsIgnoreMountPoint.test(mountpoint)) {
        continue;
      }
      const key = `${device}\0${mountpoint}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const labels = { device, fstype, mountpoint };
      const path = files.rootfs === "/" ? mountpoint : files.rootfs + mountpoint;
      const s = await withTimeout(statvfs(path), STAT_TIMEOUT_MS);
      if (s === "timeout" || s === null) {
        if (s === "timeout") files.bad("filesystem", "statfs", `${mountpoint}: timed out`);
        out.gauge("node_filesystem_device_error", FAMILIES[1][1], 1, labels);
        continue;
      }
      const values: Record<string, number> = {
        avail_bytes: s.bsize * s.bavail,
        device_error: 0,
        files: s.files,
        files_free: s.ffree,
        free_bytes: s.bsize * s.bfree,
        readonly: s.readonly ? 1 : 0,
        size_bytes: s.bsize * s.blocks,
      };
      for (const [name, help] of FAMILIES) {
        out.gauge(`node_filesystem_${name}`, help, values[name]!, labels);
      }
    }
  },
};
