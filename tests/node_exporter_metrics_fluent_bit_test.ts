/**
 * node_exporter_metrics against Fluent Bit 4.2.8's own (scraped from its prometheus_exporter
 * output): every metric Fluent Bit exposes, sluice exposes under the same name with the same
 * label names; the only name sluice changes is Fluent Bit's misspelt
 * node_processes_max_processeses (node_exporter's node_processes_max_processes). Where their
 * types and help differ, sluice follows node_exporter (see the peer test beside this one).
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER } from "../src/testing/fluent_bit.ts";
import type { Family } from "../plugins/inputs/node_exporter_metrics/families.ts";
import { spawnSluice, waitFor } from "./_helpers.ts";
import { freePort, labelSets, parseExposition } from "./_node_exporter.ts";

const COLLECTORS =
  "cpu,cpufreq,meminfo,diskstats,filesystem,uname,stat,time,loadavg,vmstat,netdev,netstat," +
  "sockstat,filefd,nvme,thermal_zone,hwmon,processes";

/** Fluent Bit's names that sluice spells as node_exporter does. */
const RENAMED: Record<string, string> = {
  node_processes_max_processeses: "node_processes_max_processes",
};

function config(output: string[]): string {
  return [
    "service:",
    "  flush: 0.5",
    "  log_level: error",
    "pipeline:",
    "  inputs:",
    "    - name: node_exporter_metrics",
    "      scrape_interval: 1",
    `      metrics: ${COLLECTORS}`,
    "  outputs:",
    ...output,
    "",
  ].join("\n");
}

Deno.test({
  name: "node_exporter_metrics has every metric of Fluent Bit's, with its label names",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fb = await fluentBitPath();
    if (!fb) {
      console.log(NO_PEER);
      return;
    }
    const dir = await Deno.makeTempDir({ prefix: "sluice-ne-fb-" });
    const port = freePort();
    const ourPort = freePort();
    await Deno.writeTextFile(
      `${dir}/fb.yaml`,
      config([
        "    - name: prometheus_exporter",
        "      match: '*'",
        "      host: 127.0.0.1",
        `      port: ${port}`,
      ]),
    );
    await Deno.writeTextFile(
      `${dir}/sluice.yaml`,
      config([
        "    - name: prometheus_exporter",
        "      match: '*'",
        "      host: 127.0.0.1",
        `      port: ${ourPort}`,
      ]),
    );
    const fluent = new Deno.Command(fb, {
      args: ["-c", `${dir}/fb.yaml`],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const sluice = spawnSluice(["-c", `${dir}/sluice.yaml`]);
    try {
      const theirs = await waitFor(async (): Promise<Map<string, Family> | undefined> => {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return text.includes("node_cpu_seconds_total") ? parseExposition(text) : undefined;
      }, { timeoutMs: 20_000, what: "Fluent Bit's /metrics" });
      const ours = await waitFor(async (): Promise<Map<string, Family> | undefined> => {
        const r = await fetch(`http://127.0.0.1:${ourPort}/metrics`).catch(() => null);
        const text = r === null ? "" : await r.text();
        return text.includes("node_cpu_seconds_total") ? parseExposition(text) : undefined;
      }, { timeoutMs: 20_000, what: "sluice's /metrics" });
      const missing: string[] = [];
      const labels: string[] = [];
      assert(theirs && ours, "both snapshots");
      for (const [name, f] of theirs) {
        const o = ours.get(RENAMED[name] ?? name);
        if (!o) missing.push(name);
        else if (labelSets(o).join("|") !== labelSets(f).join("|")) {
          labels.push(`${name}: ${labelSets(o)} vs ${labelSets(f)}`);
        }
      }
      assertEquals({ missing, labels }, { missing: [], labels: [] });
    } finally {
      for (const p of [fluent, sluice]) {
        try {
          p.kill("SIGTERM");
        } catch {
          // gone
        }
      }
      await fluent.status;
      await sluice.output();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
