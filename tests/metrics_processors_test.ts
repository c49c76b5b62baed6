/**
 * The labels and metrics_selector processors end to end, through the CLI: OTLP metrics
 * POSTed to the opentelemetry input, its `processors.metrics` chain, the opentelemetry output
 * into a receiver (Fluent Bit's YAML takes one value per labels action: two labels
 * processors chain for more). The same YAML runs in Fluent Bit 4.2.8 when the peer is present, and the
 * series both deliver must agree.
 */
import { decodeMetrics, encodeMetrics } from "../src/otlp/mod.ts";
import { assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { freePort, tempDirWith, waitFor } from "./_helpers.ts";
import { receivedMetrics, seriesLines } from "./_metrics_helpers.ts";
import { postOtlp, startReceiver, startSluice } from "./_otlp_helpers.ts";

const BOB = "81b637d8fcd2c6da6359e6963113a1170de795e4b725b84d1e0b4cfd9ec58ce9";

/**
 * The config; `chained` adds a second labels processor, which Fluent Bit cannot be compared
 * on: its second labels processor loses the labels the first added as context-wide (static)
 * ones (`env`), and it inserts a label nowhere when any series has it (`user`), where sluice
 * adds it to each series that lacks it.
 */
function config(inPort: number, outPort: number, chained: boolean): string {
  return `service:
  flush: 0.2
  log_level: info
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${inPort}
      processors:
        metrics:
          - name: metrics_selector
            metric_name: /^node_cpu_/
            action: exclude
          - name: metrics_selector
            context: delete_label_value
            label: device lo
          - name: labels
            upsert: env prod
            update: job renamed
            insert: source $TAG
            delete: tmp
            hash: user
${chained ? "          - name: labels\n            insert: user nobody\n" : ""}  outputs:
    - name: opentelemetry
      match: "*"
      host: 127.0.0.1
      port: ${outPort}
`;
}

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
const point = (value: number, ...attributes: ReturnType<typeof attr>[]) => ({
  attributes,
  timeUnixNano: "1700000000000000000",
  asDouble: value,
});

/** Four metrics: one the selector drops by name, one with a series it drops by label. */
const REQUEST = JSON.stringify({
  resourceMetrics: [{
    resource: { attributes: [] },
    scopeMetrics: [{
      scope: { name: "test" },
      metrics: [
        {
          name: "node_cpu_seconds_total",
          sum: {
            aggregationTemporality: 2,
            isMonotonic: true,
            dataPoints: [point(5, attr("cpu", "0"), attr("mode", "idle"))],
          },
        },
        { name: "node_load1", gauge: { dataPoints: [point(0.5, attr("job", "node"))] } },
        {
          name: "node_network_receive_bytes_total",
          sum: {
            aggregationTemporality: 2,
            isMonotonic: true,
            dataPoints: [
              point(10, attr("device", "eth0"), attr("tmp", "x")),
              point(20, attr("device", "lo"), attr("tmp", "y")),
            ],
          },
        },
        {
          name: "app_logins_total",
          sum: {
            aggregationTemporality: 2,
            isMonotonic: true,
            dataPoints: [point(3, attr("user", "bob"))],
          },
        },
      ],
    }],
  }],
});

/** What both collectors must deliver from the config without the chained processor. */
const EXPECTED = [
  `app_logins_total{env="prod",source="v1_metrics",user="${BOB}"} sum 3`,
  `node_load1{env="prod",job="renamed",source="v1_metrics"} gauge 0.5`,
  `node_network_receive_bytes_total{device="eth0",env="prod",source="v1_metrics"} sum 10`,
];

/** What sluice delivers from the chained config. */
const EXPECTED_CHAINED = [
  `app_logins_total{env="prod",source="v1_metrics",user="${BOB}"} sum 3`,
  `node_load1{env="prod",job="renamed",source="v1_metrics",user="nobody"} gauge 0.5`,
  `node_network_receive_bytes_total{device="eth0",env="prod",source="v1_metrics",user="nobody"} sum 10`,
];

async function deliveredBy(
  start: (yaml: string) => Promise<() => Promise<unknown>>,
  chained = false,
) {
  const rx = startReceiver();
  const inPort = freePort();
  const stop = await start(config(inPort, rx.port, chained));
  try {
    await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${inPort}/v1/metrics`);
      await res.body?.cancel();
      return true;
    }, { timeoutMs: 30_000, what: `the opentelemetry input on port ${inPort}` });
    // Protobuf: Fluent Bit's OTLP/JSON metrics reader refuses camelCase JSON.
    const body = encodeMetrics(
      decodeMetrics(new TextEncoder().encode(REQUEST), "json"),
      "protobuf",
    );
    const res = await postOtlp(inPort, "/v1/metrics", {
      body,
      headers: { "content-type": "application/x-protobuf" },
    });
    assertEquals(
      res.status < 300,
      true,
      `the input accepted the request: ${res.status} ${res.text}`,
    );
    await waitFor(() => receivedMetrics(rx.requests).length > 0, {
      timeoutMs: 20_000,
      what: "metrics at the receiver",
    });
    return receivedMetrics(rx.requests).flat();
  } finally {
    await stop();
    await rx.close();
  }
}

Deno.test("labels and metrics_selector on the opentelemetry input: series delivered as configured", async () => {
  const sluice = async (yaml: string) => {
    const s = await startSluice(yaml);
    return () => s.stop();
  };
  assertEquals(seriesLines(await deliveredBy(sluice)), EXPECTED);
  assertEquals(seriesLines(await deliveredBy(sluice, true)), EXPECTED_CHAINED);
});

Deno.test("labels and metrics_selector: Fluent Bit 4.2.8 delivers the same series", async (t) => {
  const bin = await fluentBitPath();
  if (!bin) {
    console.log(NO_PEER);
    return;
  }
  const metrics = await deliveredBy(async (yaml) => {
    const dir = await tempDirWith({ "fb.yaml": yaml });
    const fb = spawnFluentBit(bin, ["-c", `${dir}/fb.yaml`]);
    return async () => {
      await fb.stop();
      await Deno.remove(dir, { recursive: true });
    };
  });
  await t.step("same series", () => assertEquals(seriesLines(metrics), EXPECTED));
});
