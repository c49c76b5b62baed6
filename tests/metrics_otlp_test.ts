/**
 * Metrics over OTLP end to end through the CLI, with filesystem storage on: metrics POSTed to
 * the opentelemetry input route to the opentelemetry output (every kind and field carried
 * through unchanged, exponential histograms included), to prometheus_exporter (served as text)
 * and to stdout (cmetrics text), and through a restart: chunks left in storage while the
 * OTLP receiver is down are replayed whole.
 */
import { decodeMetrics, encodeMetrics } from "../src/otlp/mod.ts";
import { assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { everyKind } from "../src/metrics/_testing.ts";
import { waitFor } from "./_helpers.ts";
import { startSluice } from "./_outputs.ts";
import { freePort, metricsConfig } from "./_prometheus.ts";
import { postOtlp, startReceiver } from "./_otlp_helpers.ts";

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (typeof x === "bigint") return `${x}n`;
    if (typeof x === "number" && !Number.isFinite(x)) return String(x);
    if (x !== null && typeof x === "object" && !Array.isArray(x) && !(x instanceof Uint8Array)) {
      return Object.fromEntries(Object.entries(x).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
    }
    return x;
  });
}

const PROTOBUF = { "content-type": "application/x-protobuf" };

function config(inPort: number, otlpPort: number, exporterPort: number, dir: string): string {
  return metricsConfig(
    `    - name: opentelemetry\n      listen: 127.0.0.1\n      port: ${inPort}\n` +
      "      tag: otel\n      tag_from_uri: false\n      storage.type: filesystem",
    [
      `    - name: opentelemetry\n      match: otel\n      host: 127.0.0.1\n      port: ${otlpPort}`,
      "      retry_limit: no_limits",
      `    - name: prometheus_exporter\n      match: otel\n      host: 127.0.0.1\n` +
      `      port: ${exporterPort}\n      add_label: via otlp`,
      "    - name: stdout\n      match: otel",
    ].join("\n"),
    `  storage.path: ${dir}/store\n  storage.sync: full\n`,
  );
}

Deno.test({
  name:
    "OTLP metrics route to the opentelemetry output unchanged, to prometheus_exporter and stdout",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const receiver = startReceiver();
  const inPort = freePort(), exporterPort = freePort();
  const dir = await Deno.makeTempDir({ prefix: "sluice_metrics_otlp_" });
  const run = await startSluice(dir, config(inPort, receiver.port, exporterPort, dir));
  try {
    const metrics = everyKind();
    const sent = await waitFor(
      () =>
        postOtlp(inPort, "/v1/metrics", {
          body: encodeMetrics(metrics, "protobuf"),
          headers: PROTOBUF,
        }),
      { what: "the opentelemetry input to take the metrics" },
    );
    assertEquals(sent.status, 201, sent.text);
    await waitFor(() => receiver.requests.length >= 1, { what: "the OTLP request" });
    const got = decodeMetrics(receiver.requests[0]!.body, "protobuf");
    assertEquals(show(got), show(metrics));
    const text = await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${exporterPort}/metrics`);
      const body = await res.text();
      return res.ok ? body : undefined;
    }, { what: "the exporter to serve" });
    assertStringIncludes(text!, "# TYPE http_requests_total counter\n");
    assertStringIncludes(text!, 'http_requests_total{via="otlp",method="POST",code="500"} 3\n');
    assertStringIncludes(text!, 'temperature_celsius{via="otlp",room="void"} NaN\n');
    assertStringIncludes(text!, "# TYPE legacy_value untyped\n");
    assertStringIncludes(text!, 'latency_seconds_bucket{le="0.5",via="otlp",route="/x"} 5\n');
    assertStringIncludes(text!, 'payload_bytes_bucket{le="+Inf",via="otlp",dir="in"} 6\n');
    assertStringIncludes(text!, 'rpc_seconds{quantile="0.99",via="otlp",svc="a"} 76656\n');
    await waitFor(() => run.log().includes('rpc_seconds{svc="a"} = { quantiles'), {
      what: "stdout to print the metrics",
    });
    assertStringIncludes(
      run.log(),
      '2023-11-14T22:13:20.123000000Z http_requests_total{method="GET",code="200"} = 1027\n',
    );
  } finally {
    assertEquals(await run.stop(), 0, run.log());
    await receiver.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "OTLP metrics held in filesystem storage while the receiver is down are replayed after a restart",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  let up = false;
  const receiver = startReceiver(() => new Response(null, { status: up ? 200 : 503 }));
  const inPort = freePort(), exporterPort = freePort();
  const dir = await Deno.makeTempDir({ prefix: "sluice_metrics_store_" });
  const yaml = config(inPort, receiver.port, exporterPort, dir);
  let run = await startSluice(dir, yaml);
  try {
    const metrics = everyKind();
    await waitFor(
      () =>
        postOtlp(inPort, "/v1/metrics", {
          body: encodeMetrics(metrics, "protobuf"),
          headers: PROTOBUF,
        }),
      { what: "the opentelemetry input to take the metrics" },
    );
    await waitFor(() => receiver.requests.length >= 1, { what: "a refused OTLP request" });
    await run.stop();
    up = true;
    const before = receiver.requests.length;
    run = await startSluice(dir, yaml);
    await waitFor(
      () => receiver.requests.slice(before).length >= 1 && receiver.requests.at(-1),
      { what: "the stored chunk replayed", timeoutMs: 20_000 },
    );
    const replayed = decodeMetrics(receiver.requests.at(-1)!.body, "protobuf");
    assertEquals(show(replayed), show(metrics));
  } finally {
    await run.stop();
    await receiver.close();
    await Deno.remove(dir, { recursive: true });
  }
});
