/** The shape of one node_exporter collector. */
import type { Families } from "../families.ts";
import type { HostFiles } from "../host_files.ts";
import type { NodeExporterSettings } from "../settings.ts";

/** What a collector reads with. */
export interface CollectEnv {
  /** procfs and sysfs reads, with error counting. */
  files: HostFiles;
  /** The input's settings (regexes, textfile path, systemd options). */
  settings: NodeExporterSettings;
}

/** A collector: reads the host and adds its families. */
export interface Collector {
  /** Its name in `metrics` (Fluent Bit's and node_exporter's). */
  readonly name: string;
  /** One update; may be async (statfs, systemctl). */
  update(env: CollectEnv, out: Families): void | Promise<void>;
}
