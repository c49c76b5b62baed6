/**
 * sluice beside the Fluent Bit 4.2.8 peer on the same YAML: prometheus_scrape of one target
 * into prometheus_exporter serves the same exposition (Fluent Bit's `%.17g` and `nan`/`inf`
 * spellings aside); fluentbit_metrics publishes its families under Fluent Bit's names and
 * types. Skipped when the peer is absent.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { waitFor } from "./_helpers.ts";
import { startSluice } from "./_outputs.ts";
import { freePort, serveTarget } from "./_prometheus.ts";

const sample = await Deno.readTextFile(
  new URL("../testdata/prometheus/sample.prom", import.meta.url),
);

function yaml(input: string, exporterPort: number): string {
  return `service:
  flush: 0.2
  log_level: info
pipeline:
  inputs:
${input}
  outputs:
    - name: prometheus_exporter
      match: '*'
      host: 127.0.0.1
      port: ${exporterPort}
      add_label: app peer
`;
}

/** Runs `config` under sluice and under Fluent Bit; each one's first 200 on /metrics. */
async function bothExporters(
  config: (port: number) => string,
  ready: (text: string) => boolean = (t) => t.includes("# TYPE"),
): Promise<[string, string] | null> {
  const bin = await fluentBitPath();
  if (bin === null) return null;
  const dir = await Deno.makeTempDir({ prefix: "sluice_prom_fb_" });
  const fetchText = (port: number) =>
    waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      const text = await res.text();
      return res.ok && ready(text) ? text : undefined;
    }, { what: `the exporter on ${port}`, timeoutMs: 30_000, intervalMs: 200 });
  const ourPort = freePort();
  const run = await startSluice(dir, config(ourPort));
  let ours: string;
  try {
    ours = (await fetchText(ourPort))!;
  } finally {
    assertEquals(await run.stop(), 0, run.log());
  }
  const theirPort = freePort();
  await Deno.writeTextFile(`${dir}/fb.yaml`, config(theirPort));
  const fb = spawnFluentBit(bin, ["-c", `${dir}/fb.yaml`]);
  let theirs: string;
  try {
    theirs = (await fetchText(theirPort))!;
  } finally {
    await fb.stop();
    await Deno.remove(dir, { recursive: true });
  }
  return [ours, theirs];
}

Deno.test({
  name: "prometheus_scrape -> prometheus_exporter serves what Fluent Bit's serves",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const target = serveTarget(sample);
  try {
    const input =
      `    - name: prometheus_scrape\n      host: 127.0.0.1\n      port: ${target.port}\n` +
      "      scrape_interval: 1s";
    const both = await bothExporters((port) => yaml(input, port));
    if (both === null) {
      console.log(NO_PEER);
      return;
    }
    const [ours, theirs] = both;
    const canonical = theirs.replace(/ nan$/gm, " NaN").replace(/ inf$/gm, " +Inf")
      .replace(/ -inf$/gm, " -Inf").replace("12.470000000000001", "12.47")
      .replace("9.9999999999999995e-07", "1e-06").replaceAll('app="fb"', 'app="peer"');
    assertEquals(ours, canonical);
  } finally {
    await target.close();
  }
});

/** Family name to type, from an exposition's # TYPE lines. */
function types(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

Deno.test({
  name: "fluentbit_metrics publishes Fluent Bit's families under its names and types",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const input = "    - name: fluentbit_metrics\n      scrape_interval: 1s\n" +
    "    - name: dummy\n      tag: d\n      rate: 5";
  const both = await bothExporters(
    (port) =>
      yaml(input, port).replace("      match: '*'", "      match: fluentbit_metrics.0") +
      "    - name: null\n      match: d\n",
    (t) => /^fluentbit_routing_logs_records_total/m.test(t),
  );
  if (both === null) {
    console.log(NO_PEER);
    return;
  }
  const ours = types(both[0]), theirs = types(both[1]);
  const shared = [...ours.keys()].filter((n) => n.startsWith("fluentbit_") && theirs.has(n));
  assert(shared.length >= 10, `families both publish: ${shared.join(", ")}`);
  for (const name of shared) assertEquals(ours.get(name), theirs.get(name), name);
  for (
    const name of [
      "fluentbit_uptime",
      "fluentbit_input_records_total",
      "fluentbit_build_info",
      "fluentbit_logger_logs_total",
      "fluentbit_routing_logs_records_total",
      "fluentbit_routing_logs_bytes_total",
      "fluentbit_storage_chunks",
      "fluentbit_output_chunk_available_capacity_percent",
    ]
  ) {
    assert(ours.has(name) && theirs.has(name), name);
    assertEquals(helpOf(both[0], name), helpOf(both[1], name), `help of ${name}`);
  }
  for (const level of ["error", "warn", "info", "debug", "trace"]) {
    assert(
      both[0].includes(`message_type="${level}"`),
      `${level}: ${both[0].match(/^fluentbit_logger.*$/mg)}`,
    );
  }
  assert(
    /^fluentbit_routing_logs_records_total\{[^}]*input="dummy\.1",output="null\.1"[^}]*\} [1-9]/m
      .test(both[0]),
    `dummy routed to null: ${both[0].match(/^fluentbit_routing.*$/mg)}`,
  );
  const missing = [...theirs.keys()].filter((n) => !ours.has(n)).sort();
  console.log(`families Fluent Bit has and sluice does not: ${missing.join(", ") || "none"}`);
  // the engine families sluice cannot honestly report (no ring buffer between threaded
  // inputs and the engine, no upstream connection pool counts, no per-chunk latency histogram)
  assertEquals(missing, [
    "fluentbit_input_ring_buffer_retries_total",
    "fluentbit_input_ring_buffer_retry_failures_total",
    "fluentbit_input_ring_buffer_writes_total",
    "fluentbit_output_latency_seconds",
    "fluentbit_output_upstream_busy_connections",
    "fluentbit_output_upstream_total_connections",
  ]);
});

/** The `# HELP` text of family `name` in an exposition. */
function helpOf(text: string, name: string): string | undefined {
  return new RegExp(`^# HELP ${name} (.*)$`, "m").exec(text)?.[1];
}
