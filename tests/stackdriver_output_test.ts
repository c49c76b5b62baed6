/**
 * The stackdriver output end to end, through the CLI with YAML configs, against a local
 * stand-in for Google's token endpoint, metadata server and Cloud Logging API that verifies
 * the service account's RS256 JWT with crypto.subtle: the LogEntry payload and resource,
 * and the same configs run by Fluent Bit 4.2.8 (its metadata server and API pointed at the
 * receiver) giving the same entries:write bodies.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { GoogleReceiver } from "../src/testing/google_receiver.ts";
import { until } from "../src/testing/until.ts";
import { runSluice } from "./_helpers.ts";
import { EMAIL, setup, yaml } from "./_stackdriver.ts";

Deno.test("stackdriver: service-account JWT verified, LogEntry fields and a k8s_container resource", async () => {
  const g = await GoogleReceiver.start();
  try {
    const dir = await setup(g);
    const record = JSON.stringify({
      message: "hello é",
      "logging.googleapis.com/severity": "warning",
      "logging.googleapis.com/trace": "abc123",
      "logging.googleapis.com/spanId": "0001",
      "logging.googleapis.com/traceSampled": true,
      "logging.googleapis.com/labels": { team: "core", env: "dev" },
      "logging.googleapis.com/local_resource_id": "k8s_container.default.web-1.nginx",
      stream: "stderr",
      n: 7,
    });
    const config = yaml(g, dir, [
      "name: dummy",
      "tag: kube.var.log",
      `dummy: '${record}'`,
      "samples: 2",
      "fixed_timestamp: on",
      "start_time_sec: 1700000000",
      "start_time_nsec: 5",
    ], [
      "resource: k8s_container",
      "k8s_cluster_name: prod",
      "k8s_cluster_location: europe-west1",
      "labels: env=prod, zone=b",
      "autoformat_stackdriver_trace: on",
      "compress: gzip",
    ]);
    await Deno.writeTextFile(`${dir}/sluice.yaml`, config);
    const r = await runSluice(["-c", `${dir}/sluice.yaml`]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(g.entries.length, 2);
    assertEquals(g.entries[0], {
      severity: 400,
      trace: "projects/test-project/traces/abc123",
      spanId: "0001",
      traceSampled: true,
      labels: { team: "core", env: "prod", zone: "b" },
      jsonPayload: { message: "hello é", n: 7 },
      logName: "projects/test-project/logs/stderr",
      timestamp: "2023-11-14T22:13:20.000000005Z",
    });
    const w = g.writes[0]!;
    assertEquals(w.body.partialSuccess, true);
    assertEquals(w.body.resource, {
      type: "k8s_container",
      labels: {
        project_id: "test-project",
        location: "europe-west1",
        cluster_name: "prod",
        namespace_name: "default",
        pod_name: "web-1",
        container_name: "nginx",
      },
    });
    assertEquals(w.headers.get("content-encoding"), "gzip");
    assert(w.headers.get("authorization")?.startsWith("Bearer ya29.test-"));
    const [token] = g.tokenRequests;
    assertEquals(token?.ok, true);
    assertEquals(token?.claims.iss, EMAIL);
    assertEquals(token?.claims.aud, `${g.url}/token`);
    assertEquals(token?.claims.scope, "https://www.googleapis.com/auth/logging.write");
  } finally {
    await g.stop();
  }
});

/** The same YAML config run by Fluent Bit 4.2.8 and by sluice; their entries:write bodies. */
async function compareWithFluentBit(tag: string, output: string[]): Promise<void> {
  const fb = await fluentBitPath();
  if (!fb) {
    console.log(NO_PEER);
    return;
  }
  const tls = new URL("../testdata/http/tls/", import.meta.url).pathname;
  const cert = {
    cert: await Deno.readTextFile(`${tls}server.crt`),
    key: await Deno.readTextFile(`${tls}server.key`),
  };
  const theirs = await GoogleReceiver.start({ tls: cert });
  const ours = await GoogleReceiver.start({ tls: cert });
  const record = JSON.stringify({
    message: "hi é",
    "logging.googleapis.com/severity": "ERROR",
    "logging.googleapis.com/trace": "t1",
    "logging.googleapis.com/spanId": "s1",
    "logging.googleapis.com/traceSampled": false,
    "logging.googleapis.com/labels": { a: "b" },
    "logging.googleapis.com/insertId": "id-7",
    "logging.googleapis.com/logName": "custom",
    stream: "stdout",
    nested: { x: [1, 2] },
    "logging.googleapis.com/operation": { id: "op1", producer: "p", first: true, extra: 1 },
    "logging.googleapis.com/sourceLocation": { file: "a.go", line: "42", function: "main" },
    "logging.googleapis.com/http_request": {
      requestMethod: "GET",
      status: 200,
      latency: " 1.5 s",
      cacheLookup: true,
      cacheHit: true,
      responseSize: "123",
    },
    timestamp: { seconds: 1_600_000_000, nanos: 42 },
  });
  const config = (g: GoogleReceiver) =>
    `service:
  flush: 0.2
  grace: 2
  log_level: warn
pipeline:
  inputs:
    - name: dummy
      tag: ${tag}
      dummy: '${record}'
      samples: 3
      fixed_timestamp: on
      start_time_sec: 1700000000
      start_time_nsec: 5
  outputs:
    - name: stackdriver
      match: "*"
      metadata_server: ${g.url}
      cloud_logging_base_url: ${g.tlsUrl}
      tls: on
      tls.verify: off
${output.map((l) => `      ${l}\n`).join("")}`;
  try {
    const dir = await Deno.makeTempDir({ prefix: "sluice_sd_fb_" });
    await Deno.writeTextFile(`${dir}/fluent-bit.yaml`, config(theirs));
    await Deno.writeTextFile(`${dir}/sluice.yaml`, config(ours));
    const peer = spawnFluentBit(fb, ["-c", `${dir}/fluent-bit.yaml`]);
    try {
      await until(() => theirs.entries.length >= 3, "Fluent Bit's entries", { timeout: 20_000 });
    } finally {
      await peer.stop();
    }
    const r = await runSluice(["-c", `${dir}/sluice.yaml`]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(ours.entries, theirs.entries);
    const e = ours.entries[0]!;
    assertEquals(e.timestamp, "2020-09-13T12:26:40.000000042Z");
    assertEquals(e.sourceLocation, { file: "a.go", line: 42, function: "main" });
    assertEquals(e.operation, { id: "op1", producer: "p", first: true, last: false });
    assertEquals((e.httpRequest as Record<string, unknown>).latency, "1.5s");
    assertEquals((e.jsonPayload as Record<string, unknown>)["logging.googleapis.com/operation"], {
      extra: 1,
    });
    assertEquals(ours.writes[0]!.body.resource, theirs.writes[0]!.body.resource);
    assertEquals(ours.writes[0]!.body.partialSuccess, theirs.writes[0]!.body.partialSuccess);
  } finally {
    await theirs.stop();
    await ours.stop();
  }
}

Deno.test("stackdriver entries:write bodies equal Fluent Bit's: generic_task, labels, trace", async () => {
  await compareWithFluentBit("app", [
    "resource: generic_task",
    "location: europe-west1",
    "namespace: ns",
    "job: batch",
    "task_id: t-1",
    "labels: env=prod",
    "autoformat_stackdriver_trace: on",
  ]);
});

Deno.test("stackdriver entries:write bodies equal Fluent Bit's: k8s_container from a kubernetes tag", async () => {
  await compareWithFluentBit(`kube.var.log.containers.web-7d4_shop_nginx-${"a".repeat(64)}.log`, [
    "resource: k8s_container",
    "k8s_cluster_name: prod",
    "k8s_cluster_location: europe-west1",
    "tag_prefix: kube.var.log.containers.",
  ]);
});

Deno.test("stackdriver entries:write bodies equal Fluent Bit's: any resource type with resource_labels", async () => {
  await compareWithFluentBit("app", [
    "resource: cloud_run_revision",
    "resource_labels: service_name=$message,location=eu,revision_name=r1",
  ]);
});
