/**
 * log_to_metrics read as a user reads it, from the CLI: the cmetrics text the stdout output
 * prints for counter, gauge and histogram modes is the text Fluent Bit 4.2.8 prints for the
 * same YAML (timestamps aside); and log_to_metrics -> prometheus_exporter serves one family
 * per metric with the values of every record (Fluent Bit's exporter repeats a family per
 * emitted context: its last block of each family is compared).
 */
import { assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { runSluice, tempDirWith, waitFor } from "./_helpers.ts";
import { fluentBitMetricLines, metricLines } from "./_metrics_helpers.ts";
import { startSluice } from "./_outputs.ts";
import { freePort } from "./_prometheus.ts";

const FILTERS = `  filters:
    - name: log_to_metrics
      match: app
      tag: m.count
      metric_name: requests
      metric_description: Requests by status
      label_field: status
      add_label: path $path
    - name: log_to_metrics
      match: app
      tag: m.gauge
      metric_mode: gauge
      metric_name: latency
      metric_description: Last latency
      value_field: latency
      label_field: path
    - name: log_to_metrics
      match: app
      tag: m.hist
      metric_mode: histogram
      metric_name: latency
      metric_namespace: app
      metric_description: Latency
      value_field: latency
      bucket: [1, 10, 20]
`;

function stdoutConfig(): string {
  return `service:
  flush: 1
  log_level: info
pipeline:
  inputs:
    - name: dummy
      dummy: '{"status": "200", "latency": 12.5, "path": "/a"}'
      samples: 3
      tag: app
${FILTERS}  outputs:
    - name: stdout
      match: m.*
`;
}

Deno.test({
  name: "log_to_metrics -> stdout prints Fluent Bit's cmetrics text",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await tempDirWith({ "l2m.yaml": stdoutConfig() });
  try {
    const ours = await runSluice(["-c", `${dir}/l2m.yaml`], { timeoutMs: 30_000 });
    assertEquals(ours.code, 0, ours.stderr);
    const mine = metricLines(ours.stdout);
    assertEquals(mine.slice(-3), [
      'log_metric_counter_requests{status="200",path="/a"} = 3',
      'log_metric_gauge_latency{path="/a"} = 12.5',
      "app_histogram_latency = { buckets = { 1=0, 10=0, 20=3, +Inf=3 }, sum=37.5, count=3 }",
    ]);
    const theirs = await fluentBitMetricLines(`${dir}/l2m.yaml`, 9, "Fluent Bit's three snapshots");
    if (theirs === null) return;
    assertEquals(mine, theirs.slice(0, 9), "the same text as Fluent Bit");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function exporterConfig(file: string, port: number): string {
  return `service:
  flush: 0.5
  log_level: info
parsers:
  - name: json
    format: json
pipeline:
  inputs:
    - name: tail
      path: ${file}
      read_from_head: true
      parser: json
      tag: app
${FILTERS}  outputs:
    - name: prometheus_exporter
      match: m.*
      host: 127.0.0.1
      port: ${port}
`;
}

/** The last `# HELP` block of each family in an exposition, in first-seen order. */
function lastBlocks(text: string): string {
  const blocks = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const help = /^# HELP (\S+)/.exec(line);
    if (help) {
      current = [];
      blocks.delete(help[1]!);
      blocks.set(help[1]!, current);
    }
    current.push(line);
  }
  return [...blocks.values()].flat().join("\n") + "\n";
}

const EXPECTED = `# HELP log_metric_counter_requests Requests by status
# TYPE log_metric_counter_requests counter
log_metric_counter_requests{status="200",path="/a"} 1
log_metric_counter_requests{status="500",path="/b"} 1
# HELP log_metric_gauge_latency Last latency
# TYPE log_metric_gauge_latency gauge
log_metric_gauge_latency{path="/a"} 12.5
log_metric_gauge_latency{path="/b"} 0.5
# HELP app_histogram_latency Latency
# TYPE app_histogram_latency histogram
app_histogram_latency_bucket{le="1"} 1
app_histogram_latency_bucket{le="10"} 1
app_histogram_latency_bucket{le="20"} 2
app_histogram_latency_bucket{le="+Inf"} 2
app_histogram_latency_sum 13
app_histogram_latency_count 2
`;

async function scrapeWhen(port: number, done: (text: string) => boolean): Promise<string> {
  return (await waitFor(async () => {
    const r = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null);
    const text = r ? await r.text() : "";
    return r?.ok && done(text) ? text : undefined;
  }, { what: `metrics on port ${port}`, timeoutMs: 20_000, intervalMs: 200 }))!;
}

Deno.test({
  name: "log_to_metrics -> prometheus_exporter serves the records' metrics, as Fluent Bit",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const lines = '{"status": "200", "latency": 12.5, "path": "/a"}\n' +
    '{"status": "500", "latency": 0.5, "path": "/b"}\n';
  const dir = await tempDirWith({ "in.log": lines });
  const port = freePort();
  const run = await startSluice(dir, exporterConfig(`${dir}/in.log`, port));
  try {
    const text = await scrapeWhen(port, (t) => t.includes("app_histogram_latency_count 2"));
    assertEquals(text, EXPECTED);
    const bin = await fluentBitPath();
    if (!bin) {
      console.log(NO_PEER);
      return;
    }
    const fbPort = freePort();
    await Deno.writeTextFile(`${dir}/fb.yaml`, exporterConfig(`${dir}/in.log`, fbPort));
    const fb = spawnFluentBit(bin, ["-c", `${dir}/fb.yaml`]);
    try {
      const theirs = await scrapeWhen(fbPort, (t) => t.includes("app_histogram_latency_count 2"));
      // Fluent Bit spells the bucket bounds as cmetrics' %g with ".0"; Go (and sluice) do not
      const normal = lastBlocks(theirs).replace(/le="(\d+)\.0"/g, 'le="$1"');
      assertEquals(normal, EXPECTED, "Fluent Bit's last block of each family");
    } finally {
      await fb.stop();
    }
  } finally {
    assertEquals(await run.stop(), 0, run.log());
    await Deno.remove(dir, { recursive: true });
  }
});
