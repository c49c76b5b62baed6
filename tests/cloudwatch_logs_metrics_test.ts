/**
 * Metrics to cloudwatch_logs as Embedded Metric Format documents, through the CLI: OTLP
 * metrics posted to the opentelemetry input arrive as one EMF event per data point; with the
 * Fluent Bit 4.2.8 peer, the same OTLP request through Fluent Bit gives the same documents.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { decodeMetrics, encodeMetrics } from "../src/otlp/mod.ts";
import { TestKeys } from "../src/testing/aws_keys.ts";
import { CloudwatchReceiver } from "../src/testing/cloudwatch_receiver.ts";
import { fluentBitPath, fluentBitPlugin, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { selfSignedCert } from "../src/testing/tls_certs.ts";
import { freePort, waitFor } from "./_helpers.ts";
import { awsEnv, serviceSection, startConfig, TEST_KEY_ID, TEST_SECRET, withEnv } from "./_aws.ts";

const NOW_NS = `${Date.now()}000000`;
const OTLP = {
  resourceMetrics: [{
    resource: { attributes: [{ key: "service.name", value: { stringValue: "api" } }] },
    scopeMetrics: [{
      scope: { name: "meter" },
      metrics: [
        {
          name: "queue_depth",
          gauge: {
            dataPoints: [{
              timeUnixNano: NOW_NS,
              asDouble: 7.5,
              attributes: [{ key: "queue", value: { stringValue: "jobs" } }],
            }],
          },
        },
        {
          name: "latency",
          histogram: {
            aggregationTemporality: 2,
            dataPoints: [{
              timeUnixNano: NOW_NS,
              count: "6",
              sum: 18.5,
              bucketCounts: ["1", "3", "2"],
              explicitBounds: [1, 5],
              min: 0.5,
              max: 9,
              attributes: [],
            }],
          },
        },
        {
          name: "requests_total",
          sum: {
            aggregationTemporality: 2,
            isMonotonic: true,
            dataPoints: [{
              timeUnixNano: NOW_NS,
              asInt: "42",
              attributes: [{ key: "code", value: { stringValue: "200" } }],
            }],
          },
        },
      ],
    }],
  }],
};

/** The request as protobuf (Fluent Bit's input takes metrics only so). */
const BODY = encodeMetrics(
  decodeMetrics(new TextEncoder().encode(JSON.stringify(OTLP)), "json"),
  "protobuf",
);

async function post(port: number): Promise<void> {
  await waitFor(async () => {
    const r = await fetch(`http://127.0.0.1:${port}/v1/metrics`, {
      method: "POST",
      headers: { "content-type": "application/x-protobuf" },
      body: BODY as Uint8Array<ArrayBuffer>,
    });
    await r.body?.cancel();
    return r.status < 300;
  }, { what: "the OTLP input to take the metrics" });
}

// deno-lint-ignore no-explicit-any
type Doc = any;

/** `list` sorted by metric name. */
function byName(list: Doc[]): Doc[] {
  const name = (d: Doc) => String(d._aws.CloudWatchMetrics[0].Metrics[0].Name);
  return list.sort((a, b) => name(a) < name(b) ? -1 : 1);
}

/** The EMF documents of a group's stream, by metric name. */
function docs(rx: CloudwatchReceiver, group: string): Doc[] {
  return byName(rx.events(group, "m").map((e) => JSON.parse(e.message)));
}

Deno.test("cloudwatch_logs: OTLP metrics become one EMF document per data point", async (t) => {
  const cert = await selfSignedCert();
  const rx = CloudwatchReceiver.start(new TestKeys({ [TEST_KEY_ID]: TEST_SECRET }), {
    tls: { cert: cert.cert, key: cert.key },
  });
  const output = (group: string) => ({
    match: "*",
    region: "us-east-1",
    log_group_name: group,
    log_stream_name: "m",
    auto_create_group: "on",
    endpoint: "127.0.0.1",
    port: String(rx.port),
    "tls.verify": "off",
  });
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "sluice_cw_metrics_" });
  const sluice = await startConfig(
    dir,
    `${serviceSection()}
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
  outputs:
    - name: cloudwatch_logs
${Object.entries(output("sl")).map(([k, v]) => `      ${k}: "${v}"\n`).join("")}`,
    awsEnv(),
  );
  try {
    await post(port);
    await waitFor(() => rx.events("sl", "m").length >= 3, { what: "three EMF events" });
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.log());
  }
  const ours = docs(rx, "sl");
  await t.step("the documents", () => {
    const ms = Number(BigInt(NOW_NS) / 1_000_000n);
    assertEquals(
      ours,
      byName([
        {
          _aws: {
            Timestamp: ms,
            CloudWatchMetrics: [{
              Namespace: "",
              Dimensions: [[]],
              Metrics: [{ Name: "latency", StorageResolution: 60 }],
            }],
          },
          prom_metric_type: "histogram",
          latency: { Min: 0.5, Max: 9, Sum: 18.5, Count: 6 },
        },
        {
          _aws: {
            Timestamp: ms,
            CloudWatchMetrics: [{
              Namespace: "",
              Dimensions: [["code"]],
              Metrics: [{ Name: "requests_total", Unit: "Counter", StorageResolution: 60 }],
            }],
          },
          code: "200",
          prom_metric_type: "counter",
          requests_total: 42,
        },
        {
          _aws: {
            Timestamp: ms,
            CloudWatchMetrics: [{
              Namespace: "",
              Dimensions: [["queue"]],
              Metrics: [{ Name: "queue_depth", StorageResolution: 60 }],
            }],
          },
          queue: "jobs",
          prom_metric_type: "gauge",
          queue_depth: 7.5,
        },
      ]),
    );
  });
  const bin = await fluentBitPath();
  if (bin) {
    const fbPort = freePort();
    const fb = await withEnv(awsEnv(), () =>
      spawnFluentBit(bin, [
        "-f",
        "1",
        ...fluentBitPlugin("-i", "opentelemetry", { listen: "127.0.0.1", port: fbPort }),
        ...fluentBitPlugin("-o", "cloudwatch_logs", output("fb")),
      ]));
    try {
      await post(fbPort).catch((e) => {
        throw new Error(`${e}\n${fb.stdout()}\n${fb.stderr()}`);
      });
      await waitFor(() => rx.events("fb", "m").length >= 3, {
        timeoutMs: 30_000,
        what: "Fluent Bit's EMF events",
      });
    } finally {
      await fb.stop();
    }
    await t.step("the same documents as Fluent Bit 4.2.8 but for a histogram's Min and Max", () => {
      // Fluent Bit 4.2.8 writes the smallest and second bucket counts there (1 and 2 here);
      // sluice writes the points' min and max.
      const theirs = docs(rx, "fb");
      const hist = theirs.find((d) => d.prom_metric_type === "histogram");
      assertEquals([hist?.latency.Min, hist?.latency.Max], [1, 2]);
      hist.latency.Min = 0.5;
      hist.latency.Max = 9;
      assertEquals(ours, theirs);
    });
  }
  await rx.stop();
});
