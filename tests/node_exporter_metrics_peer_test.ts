/**
 * node_exporter_metrics against the real Prometheus node_exporter on the same host: sluice
 * runs from the CLI (node_exporter_metrics -> prometheus_exporter), node_exporter on
 * 127.0.0.1 with the same collectors; for every collector both have, the same metric names,
 * types, help and label names, the same label values for the series that do not come and go,
 * and the same values (exact, or within a stated tolerance) for those that do not move
 * between two scrapes.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { spawnSluice, waitFor } from "./_helpers.ts";
import {
  freePort,
  labelSets,
  NO_NODE_EXPORTER,
  nodeExporterPath,
  parseExposition,
  scrape,
  startNodeExporter,
  valueOf,
} from "./_node_exporter.ts";
import type { Family } from "../plugins/inputs/node_exporter_metrics/families.ts";

/** The collectors both have (systemd needs systemd as PID 1). */
const BOTH = [
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
  "nvme",
  "thermal_zone",
  "hwmon",
  "processes",
  "textfile",
];

/** Fluent Bit's (and sluice's) default filesystem.ignore_mount_point_regex. */
const FB_IGNORED_MOUNT_POINTS =
  "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";

/** node_exporter's own metrics, not a collector's. */
const EXPORTER_OWN = /^(go_|process_|promhttp_|node_scrape_|node_exporter_build_info)/;

/** Values that do not move between two scrapes: [family, labels, tolerance]. */
const STABLE: [string, Record<string, string>, number][] = [
  ["node_memory_MemTotal_bytes", {}, 0],
  ["node_memory_SwapTotal_bytes", {}, 0],
  ["node_memory_Hugepagesize_bytes", {}, 0],
  ["node_memory_VmallocTotal_bytes", {}, 0],
  ["node_filefd_maximum", {}, 0],
  ["node_processes_max_processes", {}, 0],
  ["node_processes_max_threads", {}, 0],
  ["node_boot_time_seconds", {}, 1],
  ["node_time_seconds", {}, 30],
  ["jobs_total", {}, 0],
  ["node_textfile_scrape_error", {}, 0],
];

function labelValues(f: Family | undefined): string[] {
  return (f?.samples ?? []).map((s) => JSON.stringify(Object.entries(s.labels).sort())).sort();
}

Deno.test({
  name: "node_exporter_metrics exposes node_exporter's names, types, help, labels and values",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const bin = await nodeExporterPath();
    if (!bin) {
      console.log(NO_NODE_EXPORTER);
      return;
    }
    const dir = await Deno.makeTempDir({ prefix: "sluice-ne-" });
    const config = `${dir}/sluice.yaml`;
    const port = freePort();
    await Deno.writeTextFile(
      config,
      [
        "service:",
        "  flush: 0.2",
        "pipeline:",
        "  inputs:",
        "    - name: node_exporter_metrics",
        "      tag: host",
        "      scrape_interval: 1",
        `      metrics: ${BOTH.join(",")}`,
        `      collector.textfile.path: ${dir}/textfile`,
        "  outputs:",
        "    - name: prometheus_exporter",
        "      match: '*'",
        "      host: 127.0.0.1",
        `      port: ${port}`,
        "",
      ].join("\n"),
    );
    // Debian's node_exporter skips /run, /mnt, /media and lo too: give it Fluent Bit's defaults
    await Deno.mkdir(`${dir}/textfile`);
    await Deno.writeTextFile(
      `${dir}/textfile/job.prom`,
      '# HELP job_ok Whether the job ran.\n# TYPE job_ok gauge\njob_ok{job="backup"} 1\n' +
        "# TYPE jobs_total counter\njobs_total 42\n",
    );
    const ne = await startNodeExporter(bin, BOTH, [
      `--collector.textfile.directory=${dir}/textfile`,
      `--collector.filesystem.mount-points-exclude=${FB_IGNORED_MOUNT_POINTS}`,
      "--collector.netdev.device-exclude=^$",
    ]);
    const sluice = spawnSluice(["-c", config]);
    try {
      const before = await scrape(ne.url);
      const ours = await waitFor(async (): Promise<Map<string, Family> | undefined> => {
        const r = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null);
        const text = r === null ? "" : await r.text();
        return text.includes("node_textfile_scrape_error") ? parseExposition(text) : undefined;
      }, { timeoutMs: 20_000, what: "sluice's prometheus_exporter" });
      const after = await scrape(ne.url);
      assert(ours, "a snapshot");

      const theirNames = [...after.keys()].filter((n) => !EXPORTER_OWN.test(n)).sort();
      assertEquals([...ours.keys()].sort(), theirNames, "the same metric names");
      for (const name of theirNames) {
        const a: Family = ours.get(name)!;
        const b: Family = after.get(name)!;
        assertEquals([name, a.type, a.help], [name, b.type, b.help], `type and help of ${name}`);
        assertEquals([name, labelSets(a)], [name, labelSets(b)], `label names of ${name}`);
      }

      // series that do not come and go: same label values
      for (
        const name of [
          "node_cpu_seconds_total",
          "node_cpu_guest_seconds_total",
          "node_disk_io_now",
          "node_disk_info",
          "node_filesystem_size_bytes",
          "node_network_receive_bytes_total",
          "node_uname_info",
          "node_time_clocksource_current_info",
          "node_textfile_mtime_seconds",
          "job_ok",
        ]
      ) {
        if (!after.has(name)) continue;
        // a mount or device may come or go between the scrapes: ours lies between them
        const was: string[] = labelValues(before.get(name));
        const is: string[] = labelValues(after.get(name));
        const got: string[] = labelValues(ours.get(name));
        const missing: string[] = is.filter((x: string) => was.includes(x) && !got.includes(x));
        const extra: string[] = got.filter((x: string) => !is.includes(x) && !was.includes(x));
        assertEquals([name, missing, extra], [name, [], []], `series of ${name}`);
      }

      // values that do not move between two scrapes
      for (const [name, labels, tolerance] of STABLE) {
        const a = valueOf(before.get(name), labels);
        const b = valueOf(after.get(name), labels);
        if (b === undefined) continue;
        const v = valueOf(ours.get(name), labels);
        assert(v !== undefined, `sluice has ${name}`);
        const lo = Math.min(a ?? b, b) - tolerance;
        const hi = Math.max(a ?? b, b) + tolerance;
        assert(
          v >= lo && v <= hi,
          `${name}: sluice ${v}, node_exporter ${a} .. ${b} (±${tolerance})`,
        );
      }
      for (const f of after.get("node_filesystem_size_bytes")?.samples ?? []) {
        if (valueOf(ours.get("node_filesystem_size_bytes"), f.labels) === undefined) continue;
        for (const name of ["node_filesystem_size_bytes", "node_filesystem_files"]) {
          assertEquals(
            valueOf(ours.get(name), f.labels),
            valueOf(after.get(name), f.labels),
            `${name} of ${f.labels.mountpoint}`,
          );
        }
      }
      const cpus = (m: Map<string, Family>) =>
        new Set(m.get("node_cpu_seconds_total")!.samples.map((s) => s.labels.cpu)).size;
      assertEquals(cpus(ours), cpus(after), "number of CPUs");
    } finally {
      try {
        sluice.kill("SIGTERM");
      } catch {
        // gone
      }
      await sluice.output();
      await ne.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
