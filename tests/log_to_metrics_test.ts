/**
 * The log_to_metrics filter end to end, through the CLI: JSON lines read by tail (and records
 * from dummy), counter, gauge, histogram and kubernetes_mode filters, their metrics emitted through the
 * emitter inputs and routed by their tags to the opentelemetry output, into a receiver. The
 * same YAML runs in Fluent Bit 4.2.8 when the peer is present, and the last snapshot of each
 * metric must agree (Fluent Bit writes histogram buckets cumulative). Bad input (a missing or
 * non-numeric value_field) is logged once; a bad regex is a config error at its line.
 */
import { assertEquals, assertMatch } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { runSluice, tempDirWith, waitFor } from "./_helpers.ts";
import { lastSnapshot, receivedMetrics } from "./_metrics_helpers.ts";
import { startReceiver, startSluice } from "./_otlp_helpers.ts";

const LINES = [
  {
    status: "200",
    latency: "12.5",
    path: "/a",
    kubernetes: {
      namespace_name: "ns",
      pod_name: "p1",
      container_name: "c",
      docker_id: "d",
      pod_id: "id",
    },
  },
  { status: 500, latency: 3, path: "/b" },
  { status: "200", latency: 0.5, path: "/a" },
  { status: "404", latency: "7ms", path: "/health" },
].map((r) => JSON.stringify(r)).join("\n") + "\n";

function config(file: string, outPort: number): string {
  return `service:
  flush: 0.2
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
  filters:
    - name: log_to_metrics
      match: app
      tag: m.count
      metric_name: requests
      metric_description: Requests by status and path
      label_field: status
      add_label: path $path
      exclude: path ^/health
    - name: log_to_metrics
      match: app
      tag: m.gauge
      metric_mode: gauge
      metric_name: latency
      metric_description: Last latency by path
      value_field: latency
      label_field: path
      flush_interval_sec: 1
    - name: log_to_metrics
      match: app
      tag: m.hist
      metric_mode: histogram
      metric_name: latency
      metric_namespace: app
      metric_subsystem: http
      metric_description: Latency
      value_field: $latency
      regex: path ^/
      bucket: [10, 1, 20, 5]
      flush_interval_nsec: 500000000
    - name: log_to_metrics
      match: app
      tag: m.k8s
      metric_name: pods
      metric_description: Requests by pod
      kubernetes_mode: on
      add_label: lat $latency
      regex: path ^/a
      exclude: status ^200$
      discard_logs: true
  outputs:
    - name: opentelemetry
      match: "m.*"
      host: 127.0.0.1
      port: ${outPort}
`;
}

const EXPECTED: Record<string, string[]> = {
  log_metric_counter_requests: [
    `log_metric_counter_requests{path="/a",status="200"} sum 2`,
    `log_metric_counter_requests{path="/b",status="500"} sum 1`,
  ],
  log_metric_gauge_latency: [
    `log_metric_gauge_latency{path="/a"} gauge 0.5`,
    `log_metric_gauge_latency{path="/b"} gauge 3`,
    `log_metric_gauge_latency{path="/health"} gauge 7`,
  ],
  log_metric_counter_pods: [
    `log_metric_counter_pods{container_name="",docker_id="",lat="0.500000",namespace_name="",` +
    `pod_id="",pod_name=""} sum 1`,
    `log_metric_counter_pods{container_name="c",docker_id="d",lat="12.5",namespace_name="ns",` +
    `pod_id="id",pod_name="p1"} sum 1`,
  ],
  app_http_latency: [`app_http_latency{} histogram count=4 sum=23 1=1 5=2 10=3 20=4 +Inf=4`],
};

/** Runs a collector on LINES until every metric's last snapshot is as expected (or 20 s). */
async function snapshots(
  start: (yaml: string) => Promise<() => Promise<unknown>>,
  options: { cumulativeBuckets?: boolean } = {},
): Promise<Record<string, string[]>> {
  const rx = startReceiver();
  const dir = await tempDirWith({ "app.log": LINES });
  const stop = await start(config(`${dir}/app.log`, rx.port));
  const current = () =>
    Object.fromEntries(
      Object.keys(EXPECTED).map((n) => [n, lastSnapshot(receivedMetrics(rx.requests), n, options)]),
    );
  try {
    await waitFor(() => JSON.stringify(current()) === JSON.stringify(EXPECTED), {
      timeoutMs: 20_000,
      what: "the expected snapshots",
    }).catch(() => {});
    return current();
  } finally {
    await stop();
    await rx.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("log_to_metrics from tail: counter, gauge and histogram snapshots reach the OTLP output", async () => {
  const got = await snapshots(async (yaml) => {
    const s = await startSluice(yaml);
    return () => s.stop();
  });
  assertEquals(got, EXPECTED);
});

Deno.test("log_to_metrics: Fluent Bit 4.2.8 emits the same series and values", async () => {
  const bin = await fluentBitPath();
  if (!bin) {
    console.log(NO_PEER);
    return;
  }
  const got = await snapshots(async (yaml) => {
    const dir = await tempDirWith({ "fb.yaml": yaml });
    const fb = spawnFluentBit(bin, ["-c", `${dir}/fb.yaml`]);
    return async () => {
      await fb.stop();
      await Deno.remove(dir, { recursive: true });
    };
  }, { cumulativeBuckets: true });
  assertEquals(got, EXPECTED);
});

Deno.test("log_to_metrics from dummy: a missing or non-numeric value_field is logged once, the rest counted", async () => {
  const rx = startReceiver();
  const s = await startSluice(`service:
  flush: 0.2
  log_level: info
pipeline:
  inputs:
    - name: dummy
      tag: a
      dummy: '{"v":"abc"}'
      samples: 3
      rate: 50
    - name: dummy
      tag: b
      dummy: '{"v":"4.5","w":1}'
      samples: 2
      rate: 50
    - name: dummy
      tag: c
      dummy: '{"w":2}'
      samples: 2
      rate: 50
  filters:
    - name: log_to_metrics
      match: "*"
      tag: m
      metric_mode: gauge
      metric_description: d
      metric_name: v
      value_field: v
  outputs:
    - name: opentelemetry
      match: m
      host: 127.0.0.1
      port: ${rx.port}
`);
  try {
    await waitFor(
      () => lastSnapshot(receivedMetrics(rx.requests), "log_metric_gauge_v").length > 0,
      {
        timeoutMs: 20_000,
        what: "the gauge at the receiver",
      },
    );
    await waitFor(() => s.stderr.some((l) => l.includes("not a number")), {
      timeoutMs: 20_000,
      what: "the bad value warning",
    });
  } finally {
    await s.stop();
    await rx.close();
  }
  assertEquals(lastSnapshot(receivedMetrics(rx.requests), "log_metric_gauge_v"), [
    "log_metric_gauge_v{} gauge 4.5",
  ]);
  const warnings = s.stderr.filter((l) => l.includes("not a number"));
  assertEquals(warnings.length, 1, warnings.join("\n"));
  assertMatch(warnings[0]!, /Sample: \{"(v|w)":/);
});

Deno.test("log_to_metrics: the metrics output refusing a while (503) ends with the full count", async () => {
  const rx = startReceiver((_req, n) => new Response(null, { status: n <= 3 ? 503 : 200 }));
  const s = await startSluice(`service:
  flush: 0.2
  log_level: info
  scheduler.base: 0.1
  scheduler.cap: 0.3
pipeline:
  inputs:
    - name: dummy
      tag: app
      dummy: '{"status":"200"}'
      samples: 300
      rate: 200
  filters:
    - name: log_to_metrics
      match: app
      tag: m
      metric_name: requests
      metric_description: d
      label_field: status
  outputs:
    - name: opentelemetry
      match: m
      host: 127.0.0.1
      port: ${rx.port}
      retry_limit: no_limits
`);
  const total = () =>
    lastSnapshot(receivedMetrics(rx.requests.slice(3)), "log_metric_counter_requests");
  try {
    await waitFor(() => total()[0] === `log_metric_counter_requests{status="200"} sum 300`, {
      timeoutMs: 30_000,
      what: "the full count after the outage",
    });
  } finally {
    await s.stop();
    await rx.close();
  }
  assertEquals(rx.requests.length >= 4, true);
});

Deno.test("log_to_metrics: a bad regex and a missing value_field are config errors at file:line:col", async () => {
  const section = (extra: string) =>
    `pipeline:
  inputs:
    - name: dummy
  filters:
    - name: log_to_metrics
      match: "*"
      tag: m
      metric_description: d
${extra}
  outputs:
    - name: stdout
      match: "*"
`;
  const dir = await tempDirWith({
    "regex.yaml": section("      regex: log (unclosed"),
    "value.yaml": section("      metric_mode: histogram"),
  });
  try {
    const regex = await runSluice(["validate", "-c", `${dir}/regex.yaml`], { timeoutMs: 30_000 });
    assertEquals(regex.code, 2, regex.stdout + regex.stderr);
    assertMatch(regex.stderr, /regex\.yaml:9:7: key "regex": Cannot parse "log \(unclosed"/);
    const value = await runSluice(["validate", "-c", `${dir}/value.yaml`], { timeoutMs: 30_000 });
    assertEquals(value.code, 2, value.stdout + value.stderr);
    assertMatch(
      value.stderr,
      /value\.yaml:5:7: key "value_field": .*required for metric_mode histogram/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
