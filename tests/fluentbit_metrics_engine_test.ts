/**
 * The engine families fluentbit_metrics took from Fluent Bit, read from the CLI through
 * prometheus_exporter while an output fails: `fluentbit_output_chunk_available_capacity_percent`
 * falls below 100 for the output whose filesystem queue fills its `storage.total_limit_size`
 * and stays 100 for one without a limit; `fluentbit_storage_chunks` is the filesystem plus
 * memory chunks; `fluentbit_logger_logs_total` counts the retry warnings it logged;
 * `fluentbit_routing_logs_records_total` counts what dummy routed to the failing output.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { waitFor } from "./_helpers.ts";
import { startSluice } from "./_outputs.ts";
import { freePort } from "./_prometheus.ts";

function value(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

Deno.test({
  name: "fluentbit_metrics reports capacity, storage chunks, log lines and routing as Fluent Bit",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_fbm_engine_" });
  const port = freePort();
  const refused = freePort();
  const run = await startSluice(
    dir,
    `service:
  flush: 0.5
  log_level: info
  storage.path: ${dir}/storage
pipeline:
  inputs:
    - name: dummy
      tag: app
      rate: 200
      storage.type: filesystem
    - name: fluentbit_metrics
      tag: internal
      scrape_interval: 0.5
  outputs:
    - name: http
      match: app
      host: 127.0.0.1
      port: ${refused}
      retry_limit: false
      storage.total_limit_size: 100K
    - name: prometheus_exporter
      match: internal
      host: 127.0.0.1
      port: ${port}
`,
  );
  try {
    const text = await waitFor(async () => {
      const r = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null);
      const t = r ? await r.text() : "";
      const free = value(t, 'fluentbit_output_chunk_available_capacity_percent{name="http.0"}');
      const warned = value(t, 'fluentbit_logger_logs_total{message_type="warn"}') ?? 0;
      return r?.ok && free !== undefined && free < 100 && warned > 0 ? t : undefined;
    }, { what: "the http output's queue filling", timeoutMs: 30_000, intervalMs: 250 });
    const free = value(text!, 'fluentbit_output_chunk_available_capacity_percent{name="http.0"}')!;
    assert(free >= 0 && free < 100, `capacity ${free}`);
    assertEquals(
      value(
        text!,
        'fluentbit_output_chunk_available_capacity_percent{name="prometheus_exporter.1"}',
      ),
      100,
    );
    const fs = value(text!, "fluentbit_storage_fs_chunks")!;
    const mem = value(text!, "fluentbit_storage_mem_chunks")!;
    assertEquals(value(text!, "fluentbit_storage_chunks"), fs + mem);
    assert(fs > 0, "chunks kept on disk");
    const routed = value(
      text!,
      'fluentbit_routing_logs_records_total{input="dummy.0",output="http.0"}',
    )!;
    assert(routed > 0, `routed ${routed}`);
    assert(
      (value(text!, 'fluentbit_routing_logs_bytes_total{input="dummy.0",output="http.0"}') ?? 0) >
        routed,
      "bytes routed",
    );
    assert(value(text!, 'fluentbit_logger_logs_total{message_type="info"}')! >= 1);
    assertEquals(value(text!, 'fluentbit_logger_logs_total{message_type="debug"}'), 0);
  } finally {
    assertEquals(await run.stop(), 0, run.log());
    await Deno.remove(dir, { recursive: true });
  }
});
