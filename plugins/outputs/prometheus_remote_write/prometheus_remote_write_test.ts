import { Ack } from "../../../src/event/ack.ts";
import type { MetricChunk } from "../../../src/event/chunk.ts";
import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import { counterData, newMetric, numberPoint } from "../../../src/metrics/model.ts";
import { decodeWriteRequest } from "../../../src/metrics/prometheus/remote_write.ts";
import { unsnappyBlock } from "../../../src/net/http_client/compress.ts";
import { assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import { optionsFromYaml, testFilterContext } from "../../../src/testing/filter_context.ts";
import { HttpReceiver } from "../../../src/testing/http_receiver.ts";
import { selfSignedCert, tlsServer } from "../../../src/testing/tls_certs.ts";
import { type PrometheusRemoteWriteOptions, prometheusRemoteWriteOptions } from "./options.ts";
import { createRemoteWriteOutput } from "./prometheus_remote_write.ts";

function chunk(): MetricChunk {
  const m = newMetric("hits_total", counterData([numberPoint({ a: "1" }, 5, 3_000_000n)]));
  return { signal: "metrics", tag: "m", records: [m], bytes: 1, ack: new Ack(), input: "x" };
}

function options(port: number, extra: Record<string, unknown> = {}): PrometheusRemoteWriteOptions {
  return optionsFromYaml(prometheusRemoteWriteOptions, {
    host: "127.0.0.1",
    port,
    uri: "api/v1/write",
    ...extra,
  }) as PrometheusRemoteWriteOptions;
}

Deno.test("prometheus_remote_write posts a snappy WriteRequest with the protocol's headers", async () => {
  const receiver = await HttpReceiver.start();
  const out = createRemoteWriteOutput(
    options(receiver.port, {
      add_label: ["job sluice"],
      header: ["X-Scope-OrgID tenant1"],
      http_user: "u",
      http_passwd: "p",
    }),
    testFilterContext(),
  );
  try {
    await out.write(chunk());
    const r = receiver.requests[0]!;
    assertEquals(r.path, "/api/v1/write");
    assertEquals(r.headers.get("content-encoding"), "snappy");
    assertEquals(r.headers.get("x-prometheus-remote-write-version"), "0.1.0");
    assertEquals(r.headers.get("x-scope-orgid"), "tenant1");
    assertEquals(r.headers.get("authorization"), `Basic ${btoa("u:p")}`);
    assertEquals(decodeWriteRequest(unsnappyBlock(r.body)).series, [
      { labels: { __name__: "hits_total", a: "1", job: "sluice" }, samples: [[5, 3]] },
    ]);
  } finally {
    await out.close!();
    await receiver.stop();
  }
});

Deno.test("prometheus_remote_write: gzip and bearer_token as configured", async () => {
  const receiver = await HttpReceiver.start();
  const out = createRemoteWriteOutput(
    options(receiver.port, { compression: "gzip", bearer_token: "t0k" }),
    testFilterContext(),
  );
  try {
    await out.write(chunk());
    const r = receiver.requests[0]!;
    assertEquals(r.headers.get("content-encoding"), "gzip");
    assertEquals(r.headers.get("authorization"), "Bearer t0k");
    assertEquals(decodeWriteRequest(r.body).series.length, 1); // the receiver gunzips
  } finally {
    await out.close!();
    await receiver.stop();
  }
});

Deno.test("prometheus_remote_write: 4xx is permanent, 5xx and 429 retryable", async () => {
  const receiver = await HttpReceiver.start();
  const out = createRemoteWriteOutput(options(receiver.port), testFilterContext());
  try {
    for (
      const [status, error] of [
        [400, PermanentError],
        [404, PermanentError],
        [500, RetryableError],
        [429, RetryableError],
      ] as const
    ) {
      receiver.mode = { kind: "status", status };
      await assertRejects(() => out.write(chunk()), error, String(status));
    }
  } finally {
    await out.close!();
    await receiver.stop();
  }
});

Deno.test("prometheus_remote_write over TLS with tls.ca_file, refused without it", async () => {
  const cert = await selfSignedCert();
  const server = tlsServer(cert);
  try {
    const trusted = createRemoteWriteOutput(
      options(server.port, { host: "localhost", tls: "on", "tls.ca_file": cert.certFile }),
      testFilterContext(),
    );
    await trusted.write(chunk());
    await trusted.close!();
    assertEquals(server.bodies.length, 1);
    const untrusted = createRemoteWriteOutput(
      options(server.port, { host: "localhost", tls: "on" }),
      testFilterContext(),
    );
    await assertRejects(() => untrusted.write(chunk()), PermanentError, "certificate");
    await untrusted.close!();
  } finally {
    await server.close();
    await Deno.remove(cert.dir, { recursive: true });
  }
});
