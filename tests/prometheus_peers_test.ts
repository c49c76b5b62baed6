/**
 * sluice's Prometheus plugins against the real thing (apt `prometheus`, `prometheus-node-exporter`),
 * all on 127.0.0.1 with their own ports and temp dirs: Prometheus scrapes sluice's
 * prometheus_exporter; Prometheus with its remote-write receiver gets sluice's
 * prometheus_remote_write and the values are read back through its query API; sluice's
 * prometheus_scrape reads node_exporter's and Prometheus's own /metrics whole.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import {
  NO_PROMETHEUS,
  NodeExporter,
  PrometheusServer,
  type QuerySample,
} from "../src/testing/prometheus_server.ts";
import { waitFor } from "./_helpers.ts";
import { startSluice } from "./_outputs.ts";
import { freePort, metricsConfig, seriesOf, serveTarget } from "./_prometheus.ts";

const sample = await Deno.readTextFile(
  new URL("../testdata/prometheus/sample.prom", import.meta.url),
);

function value(samples: QuerySample[]): number | undefined {
  return samples.length === 1 ? samples[0]!.value : undefined;
}

Deno.test({
  name: "Prometheus scrapes sluice's prometheus_exporter: up == 1 and sluice's own metrics",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "sluice_prom_exporter_" });
  const run = await startSluice(
    dir,
    metricsConfig(
      "    - name: fluentbit_metrics\n      tag: internal\n      scrape_interval: 0.5s",
      `    - name: prometheus_exporter\n      match: internal\n      host: 127.0.0.1\n` +
        `      port: ${port}\n      add_label: app sluice`,
    ),
  );
  const prom = await PrometheusServer.start({ targets: [`127.0.0.1:${port}`] });
  if (prom === null) {
    console.log(NO_PROMETHEUS);
    await run.stop();
    return;
  }
  try {
    await waitFor(async () => value(await prom.query('up{job="sluice"}')) === 1, {
      what: "up == 1",
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const uptime = await waitFor(async () => {
      const r = await prom.query('fluentbit_uptime{app="sluice"}');
      return r.length === 1 ? r[0]! : undefined;
    }, { what: "fluentbit_uptime in Prometheus", timeoutMs: 30_000, intervalMs: 250 });
    assert(uptime!.value >= 0);
    assert(uptime!.metric.hostname !== undefined, "fluentbit_uptime has its hostname label");
    const scrapes = await prom.query(
      'fluentbit_input_metrics_scrapes_total{name="fluentbit_metrics.0",app="sluice"}',
    );
    assert((value(scrapes) ?? 0) >= 1, `scrapes counted: ${JSON.stringify(scrapes)}`);
  } finally {
    await prom.stop();
    assertEquals(await run.stop(), 0, run.log());
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "Prometheus's remote-write receiver gets sluice's series with their values",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const prom = await PrometheusServer.start({ remoteWrite: true });
  if (prom === null) {
    console.log(NO_PROMETHEUS);
    return;
  }
  const target = serveTarget(sample);
  const dir = await Deno.makeTempDir({ prefix: "sluice_prom_rw_" });
  const run = await startSluice(
    dir,
    metricsConfig(
      `    - name: prometheus_scrape\n      host: 127.0.0.1\n      port: ${target.port}\n` +
        "      scrape_interval: 1s\n      tag: scraped",
      `    - name: prometheus_remote_write\n      match: scraped\n      host: 127.0.0.1\n` +
        `      port: ${prom.port}\n      uri: /api/v1/write\n      add_label: source sluice`,
    ),
  );
  try {
    const q = async (promql: string) => value(await prom.query(promql));
    await waitFor(async () => (await q('temp{room="a b\\"c\\\\d\\ne",source="sluice"}')) === 21.5, {
      what: "the gauge with escapes in Prometheus",
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    assertEquals(await q('temp{room="inf",source="sluice"}'), Infinity);
    assertEquals(await q('temp{room="ninf",source="sluice"}'), -Infinity);
    assert(Number.isNaN(await q('temp{room="nan",source="sluice"}')));
    assertEquals(await q('temp{room="big"}'), 1.2345678901234567e+20);
    assertEquals(await q("metric_without_timestamp_and_labels"), 12.47);
    assertEquals(await q('some_untyped{a="1"}'), 5);
    assertEquals(await q('http_request_duration_seconds_bucket{le="0.1"}'), 33444);
    assertEquals(await q('http_request_duration_seconds_bucket{le="+Inf"}'), 144320);
    assertEquals(await q("http_request_duration_seconds_sum"), 53423);
    assertEquals(await q("http_request_duration_seconds_count"), 144320);
    assertEquals(await q('rpc_duration_seconds{quantile="0.99"}'), 76656);
    assertEquals(await q("rpc_duration_seconds_count"), 2693);
    // The counter's samples carry their own (2014) timestamps: read them at that time.
    const at = 1395066363;
    const url = `http://127.0.0.1:${prom.port}/api/v1/query?time=${at}&query=` +
      encodeURIComponent('http_requests_total{code="400"}');
    const old = await (await fetch(url)).json();
    assertEquals(old.data.result[0]?.value, [at, "3"]);
  } finally {
    assertEquals(await run.stop(), 0, run.log());
    await target.close();
    await prom.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

/** Scrapes `port` with sluice into a prometheus_exporter; the re-exposed text and the log. */
async function scrapeThrough(port: number): Promise<{ text: string; log: string; own: string }> {
  const out = freePort();
  const dir = await Deno.makeTempDir({ prefix: "sluice_prom_scrape_" });
  const run = await startSluice(
    dir,
    metricsConfig(
      `    - name: prometheus_scrape\n      host: 127.0.0.1\n      port: ${port}\n` +
        "      scrape_interval: 10s\n      tag: scraped",
      `    - name: prometheus_exporter\n      match: scraped\n      host: 127.0.0.1\n` +
        `      port: ${out}`,
    ),
  );
  try {
    const text = await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${out}/metrics`);
      const body = await res.text();
      return res.ok ? body : undefined;
    }, { what: "sluice's exporter to serve the scrape", timeoutMs: 30_000, intervalMs: 200 });
    // What the target serves now (after sluice's scrape, so a series it added then is in both).
    const own = await (await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { accept: "text/plain;version=0.0.4" },
    })).text();
    return { text: text!, log: run.log(), own };
  } finally {
    assertEquals(await run.stop(), 0, run.log());
    await Deno.remove(dir, { recursive: true });
  }
}

/** Series the target serves whose count moves with every scrape and query (left out). */
const MOVING =
  /^(promhttp_metric_handler_requests_total|prometheus_http_|go_gc_|go_memstats_|net_conntrack_)/;

function stable(series: Set<string>): Set<string> {
  return new Set([...series].filter((s) => !MOVING.test(s)));
}

Deno.test({
  name: "prometheus_scrape reads node_exporter's /metrics whole: the same series, no error",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const ne = await NodeExporter.start();
  if (ne === null) {
    console.log(NO_PROMETHEUS);
    return;
  }
  try {
    const { text, log, own } = await scrapeThrough(ne.port);
    assert(!/skipped|error|warn/i.test(log.replace(/log_level/g, "")), log);
    const theirs = stable(seriesOf(own)), ours = stable(seriesOf(text));
    assert(theirs.size > 100, `node_exporter serves ${theirs.size} series`);
    assertEquals([...ours].filter((s) => !theirs.has(s)), [], "series sluice invented");
    assertEquals([...theirs].filter((s) => !ours.has(s)), [], "series sluice lost");
  } finally {
    await ne.stop();
  }
});

Deno.test({
  name: "prometheus_scrape reads Prometheus's own /metrics whole (histograms, summaries)",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const prom = await PrometheusServer.start();
  if (prom === null) {
    console.log(NO_PROMETHEUS);
    return;
  }
  try {
    const { text, log, own } = await scrapeThrough(prom.port);
    assert(!/skipped|error|warn/i.test(log.replace(/log_level/g, "")), log);
    const theirs = stable(seriesOf(own)), ours = stable(seriesOf(text));
    assert(theirs.size > 100, `Prometheus serves ${theirs.size} series`);
    assertEquals([...ours].filter((s) => !theirs.has(s)), [], "series sluice invented");
    assertEquals([...theirs].filter((s) => !ours.has(s)), [], "series sluice lost");
  } finally {
    await prom.stop();
  }
});
