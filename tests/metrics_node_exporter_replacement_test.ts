/**
 * The classic Fluent Bit node exporter replacement, from the CLI: node_exporter_metrics ->
 * prometheus_exporter on 127.0.0.1, its /metrics text compared with the real
 * prometheus-node-exporter's (same `# HELP` and `# TYPE` lines, label names and stable values);
 * real Prometheus scraping sluice's exporter gets node_memory_MemTotal_bytes equal to
 * node_exporter's, with the types and help it took from the scrape (counter, gauge, unknown for
 * node_exporter's untyped); and node_exporter_metrics -> prometheus_remote_write into Prometheus's
 * remote-write receiver, the series read back through its query API.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { NO_PROMETHEUS, PrometheusServer } from "../src/testing/prometheus_server.ts";
import { waitFor } from "./_helpers.ts";
import { startSluice } from "./_outputs.ts";
import {
  labelSets,
  NO_NODE_EXPORTER,
  nodeExporterPath,
  parseExposition,
  startNodeExporter,
  valueOf,
} from "./_node_exporter.ts";
import { freePort, metricsConfig } from "./_prometheus.ts";

/** The collectors both have that a VM without systemd as PID 1 can serve. */
const BOTH = "cpu,cpufreq,meminfo,diskstats,filesystem,uname,stat,time,loadavg,vmstat," +
  "netdev,netstat,sockstat,filefd,processes";

/** Fluent Bit's (and sluice's) default filesystem.ignore_mount_point_regex. */
const FB_IGNORED_MOUNT_POINTS =
  "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";

/** Values that do not move between two scrapes, with their tolerance. */
const STABLE: [string, number][] = [
  ["node_memory_MemTotal_bytes", 0],
  ["node_memory_SwapTotal_bytes", 0],
  ["node_filefd_maximum", 0],
  ["node_processes_max_threads", 0],
  ["node_boot_time_seconds", 1],
];

/** `# HELP` and `# TYPE` lines of an exposition, by family name. */
function metaLines(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const m = /^# (HELP|TYPE) (\S+)/.exec(line);
    if (!m) continue;
    const list = out.get(m[2]!) ?? [];
    list.push(line);
    out.set(m[2]!, list);
  }
  return out;
}

async function get(url: string): Promise<string> {
  const r = await fetch(url);
  const text = await r.text();
  return r.ok ? text : "";
}

Deno.test({
  name:
    "node_exporter_metrics -> prometheus_exporter serves node_exporter's text; Prometheus reads it",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const bin = await nodeExporterPath();
  if (!bin) {
    console.log(NO_NODE_EXPORTER);
    return;
  }
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "sluice_ne_replace_" });
  const ne = await startNodeExporter(bin, BOTH.split(","), [
    `--collector.filesystem.mount-points-exclude=${FB_IGNORED_MOUNT_POINTS}`,
    "--collector.netdev.device-exclude=^$",
  ]);
  const run = await startSluice(
    dir,
    metricsConfig(
      `    - name: node_exporter_metrics\n      tag: node_metrics\n      scrape_interval: 1\n` +
        `      metrics: ${BOTH}`,
      `    - name: prometheus_exporter\n      match: node_metrics\n      host: 127.0.0.1\n` +
        `      port: ${port}`,
    ),
  );
  let prom: PrometheusServer | null = null;
  try {
    const before = await get(ne.url);
    const ours = await waitFor(
      async () => (await get(`http://127.0.0.1:${port}/metrics`).catch(() => "")) || undefined,
      { what: "sluice's exporter to serve metrics", timeoutMs: 20_000, intervalMs: 200 },
    );
    const after = await get(ne.url);
    const a = parseExposition(ours!);
    const b = parseExposition(after);
    const before_ = parseExposition(before);
    const ourMeta = metaLines(ours!);
    const theirMeta = metaLines(after);
    let shared = 0;
    for (const [name, theirs] of b) {
      if (/^(go_|process_|promhttp_|node_scrape_|node_exporter_build_info)/.test(name)) continue;
      const mine = a.get(name);
      assert(mine, `sluice's exporter has ${name}`);
      shared++;
      assertEquals(ourMeta.get(name), theirMeta.get(name), `HELP and TYPE lines of ${name}`);
      assertEquals([name, labelSets(mine)], [name, labelSets(theirs)], `label names of ${name}`);
    }
    assert(shared > 100, `${shared} shared families`);
    assert(/^# TYPE node_netstat_Tcp_InSegs untyped$/m.test(ours!), "untyped printed as such");
    assert(/^# TYPE node_cpu_seconds_total counter$/m.test(ours!), "cpu seconds a counter");
    for (const [name, tolerance] of STABLE) {
      const x = valueOf(before_.get(name));
      const y = valueOf(b.get(name));
      if (y === undefined) continue;
      const v = valueOf(a.get(name));
      assert(v !== undefined, `sluice has ${name}`);
      assert(
        v >= Math.min(x ?? y, y) - tolerance && v <= Math.max(x ?? y, y) + tolerance,
        `${name}: sluice ${v}, node_exporter ${x} .. ${y} (±${tolerance})`,
      );
    }

    prom = await PrometheusServer.start({ targets: [`127.0.0.1:${port}`] });
    if (prom === null) {
      console.log(NO_PROMETHEUS);
      return;
    }
    const p = prom;
    const got = await waitFor(async () => {
      const r = await p.query('node_memory_MemTotal_bytes{job="sluice"}');
      return r.length === 1 ? r[0]!.value : undefined;
    }, { what: "node_memory_MemTotal_bytes in Prometheus", timeoutMs: 30_000, intervalMs: 250 });
    assertEquals(got, valueOf(b.get("node_memory_MemTotal_bytes")));
    const up = await p.query('up{job="sluice"}');
    assertEquals(up[0]?.value, 1);
    // the types Prometheus took from the scrape, as it takes node_exporter's
    const meta = async (metric: string) => {
      const r = await fetch(`http://127.0.0.1:${p.port}/api/v1/metadata?metric=${metric}`);
      const body = await r.json();
      return body.data?.[metric]?.[0];
    };
    const types: [string, string][] = [
      ["node_cpu_seconds_total", "counter"],
      ["node_memory_MemTotal_bytes", "gauge"],
      ["node_netstat_Tcp_InSegs", "unknown"],
    ];
    for (const [metric, type] of types) {
      const m = await waitFor(() => meta(metric), { what: `metadata of ${metric}` });
      assertEquals([metric, m?.type, m?.help], [metric, type, b.get(metric)?.help]);
    }
  } finally {
    await prom?.stop();
    await ne.stop();
    assertEquals(await run.stop(), 0, run.log());
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "node_exporter_metrics -> prometheus_remote_write: Prometheus holds the host's series",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const bin = await nodeExporterPath();
  const prom = bin ? await PrometheusServer.start({ remoteWrite: true }) : null;
  if (!bin || prom === null) {
    console.log(bin ? NO_PROMETHEUS : NO_NODE_EXPORTER);
    return;
  }
  const ne = await startNodeExporter(bin, ["meminfo", "cpu"]);
  const dir = await Deno.makeTempDir({ prefix: "sluice_ne_rw_" });
  const run = await startSluice(
    dir,
    metricsConfig(
      "    - name: node_exporter_metrics\n      tag: node_metrics\n      scrape_interval: 1\n" +
        "      metrics: meminfo,cpu",
      `    - name: prometheus_remote_write\n      match: node_metrics\n      host: 127.0.0.1\n` +
        `      port: ${prom.port}\n      uri: /api/v1/write\n      add_label: job sluice`,
    ),
  );
  try {
    const total = await waitFor(async () => {
      const r = await prom.query('node_memory_MemTotal_bytes{job="sluice"}');
      return r.length === 1 ? r[0]!.value : undefined;
    }, { what: "node_memory_MemTotal_bytes written", timeoutMs: 30_000, intervalMs: 250 });
    assertEquals(
      total,
      valueOf(parseExposition(await get(ne.url)).get("node_memory_MemTotal_bytes")),
    );
    const cpu = await prom.query('node_cpu_seconds_total{job="sluice",mode="idle"}');
    const cpus = parseExposition(await get(ne.url)).get("node_cpu_seconds_total")!;
    assertEquals(cpu.length, new Set(cpus.samples.map((s) => s.labels.cpu)).size, "one per CPU");
    const rate = await waitFor(async () => {
      const r = await prom.query('sum(rate(node_cpu_seconds_total{job="sluice"}[10s]))');
      return r.length === 1 && r[0]!.value > 0 ? r[0]!.value : undefined;
    }, { what: "a CPU rate over the written counter", timeoutMs: 30_000, intervalMs: 500 });
    assert(rate! <= cpu.length + 0.5, `rate ${rate} at most the CPU count`);
  } finally {
    assertEquals(await run.stop(), 0, run.log());
    await ne.stop();
    await prom.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
