/** The meminfo and vmstat collectors: `/proc/meminfo` and `/proc/vmstat`. */
import { fields, lines } from "../host_files.ts";
import type { Collector } from "./types.ts";

/** A gauge per `/proc/meminfo` line: `node_memory_<Field>_bytes` for kB lines. */
export const meminfo: Collector = {
  name: "meminfo",
  update({ files }, out) {
    const text = files.read("meminfo", `${files.procfs}/meminfo`);
    if (text === undefined) return;
    for (const line of lines(text)) {
      const f = fields(line);
      const key = f[0];
      const value = Number(f[1]);
      if (!key?.endsWith(":") || f.length > 3 || !Number.isFinite(value)) {
        files.bad("meminfo", "line", line);
        continue;
      }
      let name = key.slice(0, -1).replace(/\((anon|file)\)$/, "_$1");
      let v = value;
      if (f.length === 3) {
        if (f[2] !== "kB") {
          files.bad("meminfo", "unit", line);
          continue;
        }
        name += "_bytes";
        v *= 1024;
      }
      out.gauge(`node_memory_${name}`, `Memory information field ${name}.`, v);
    }
  },
};

const VMSTAT_FIELDS = /^(oom_kill|pgpg|pswp|pg.*fault).*/;

/** node_vmstat_<field> (untyped, as node_exporter) for oom_kill, pgpg*, pswp*, pg*fault. */
export const vmstat: Collector = {
  name: "vmstat",
  update({ files }, out) {
    const text = files.read("vmstat", `${files.procfs}/vmstat`);
    if (text === undefined) return;
    for (const line of lines(text)) {
      const [key, raw] = fields(line);
      if (!key || !VMSTAT_FIELDS.test(key)) continue;
      const v = Number(raw);
      if (raw === undefined || !Number.isFinite(v)) {
        files.bad("vmstat", "line", line);
        continue;
      }
      out.untyped(`node_vmstat_${key}`, `/proc/vmstat information field ${key}.`, v);
    }
  },
};
