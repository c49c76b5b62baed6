/**
 * The es and opensearch outputs end to end, through the CLI with YAML configs, into a local
 * receiver that follows Elasticsearch's `_bulk` API; and the same config run by Fluent Bit
 * 4.2.8 into the same receiver, comparing the bulk bodies.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { EsReceiver } from "../src/testing/es_receiver.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { until } from "../src/testing/until.ts";
import { runSluice } from "./_helpers.ts";
import { bulkPairs, esPipeline } from "./_es.ts";

const dummy = (n: number) => [
  "name: dummy",
  "tag: app.web",
  `dummy: '{"log":"hello é","a.b":1,"nested":{"c.d":[{"e.f":true}]},"n":42}'`,
  `samples: ${n}`,
  "rate: 100",
  "fixed_timestamp: on",
  "start_time_sec: 1700000000",
  "start_time_nsec: 123456789",
];

async function runConfig(
  yaml: string,
  env?: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_es_" });
  await Deno.writeTextFile(`${dir}/sluice.yaml`, yaml);
  const r = await runSluice(["-c", `${dir}/sluice.yaml`], { timeoutMs: 60_000, env });
  return { code: r.code, stderr: r.stderr };
}

Deno.test("es output via the CLI: documents, auth, gzip, path prefix and pipeline", async () => {
  const es = await EsReceiver.start({ auth: { user: ["elastic", "s3cret"] }, prefix: "/es" });
  try {
    const yaml = esPipeline({
      port: es.port,
      input: dummy(5),
      output: [
        "http_user: elastic",
        "http_passwd: s3cret",
        "compress: gzip",
        "path: /es",
        "pipeline: geoip",
        "logstash_format: on",
        "logstash_prefix: web",
        "suppress_type_name: on",
        "include_tag_key: on",
        "tag_key: tag",
        "replace_dots: on",
      ],
    });
    const r = await runConfig(yaml);
    assertEquals(r.code, 0, r.stderr);
    const docs = es.docs("web-2023.11.14");
    assertEquals(docs.length, 5);
    assertEquals(docs[0], {
      "@timestamp": "2023-11-14T22:13:20.123Z",
      tag: "app.web",
      log: "hello é",
      a_b: 1,
      nested: { c_d: [{ e_f: true }] },
      n: 42,
    });
    const req = es.requests[0]!;
    assertEquals(
      req.path,
      "/es/_bulk/?pipeline=geoip&filter_path=errors,items.*.status,items.*.error",
    );
    assertEquals(req.headers.get("content-encoding"), "gzip");
    assertEquals(req.headers.get("content-type"), "application/x-ndjson");
  } finally {
    await es.stop();
  }
});

Deno.test("es output: wrong credentials are a permanent error with the reason, not a retry loop", async () => {
  const es = await EsReceiver.start({ auth: { apiKey: "right" } });
  try {
    const yaml = esPipeline({
      port: es.port,
      input: dummy(3),
      output: ["http_api_key: wrong", "retry_limit: 5"],
    });
    const r = await runConfig(yaml);
    assertStringIncludes(r.stderr, "dropped 3 records");
    assertStringIncludes(r.stderr, "HTTP 401: security_exception");
    assertStringIncludes(r.stderr, "refused the credentials");
    assert(!r.stderr.includes("retry 1"), `no retry: ${r.stderr}`);
    assertEquals(es.requests.length, 1, "one request, no retries");
    assertEquals(es.requests[0]!.headers.get("authorization"), "ApiKey wrong");
  } finally {
    await es.stop();
  }
});

Deno.test("es output against Elasticsearch 8: _type refused with a hint; opensearch writes too", async () => {
  const es = await EsReceiver.start({ refuseType: true });
  try {
    const refused = await runConfig(esPipeline({ port: es.port, input: dummy(2) }));
    assertStringIncludes(refused.stderr, "unknown parameter [_type]");
    assertStringIncludes(refused.stderr, "suppress_type_name on");
    const os = await runConfig(esPipeline({
      port: es.port,
      plugin: "opensearch",
      input: dummy(2),
      output: ["suppress_type_name: on", "index: os-%Y"],
    }));
    assertEquals(os.code, 0, os.stderr);
    // The index is dated by the flush time (as Fluent Bit does): this year.
    assertEquals(es.docs(`os-${new Date().getUTCFullYear()}`).length, 2);
  } finally {
    await es.stop();
  }
});

/** The same YAML config, run by Fluent Bit 4.2.8 and by sluice, into receivers of their own. */
async function compareWithFluentBit(
  output: readonly string[],
  n: number,
  plugin = "es",
  input: readonly string[] = dummy(n),
): Promise<void> {
  const fb = await fluentBitPath();
  if (!fb) {
    console.log(NO_PEER);
    return;
  }
  const theirs = await EsReceiver.start();
  const ours = await EsReceiver.start();
  try {
    const dir = await Deno.makeTempDir({ prefix: "sluice_es_fb_" });
    const path = `${dir}/fluent-bit.yaml`;
    await Deno.writeTextFile(
      path,
      esPipeline({ port: theirs.port, input, output, plugin }),
    );
    const peer = spawnFluentBit(fb, ["-c", path]);
    try {
      await until(() => bulkPairs(theirs).length >= n, "Fluent Bit's bulk items", {
        timeout: 20_000,
      });
    } finally {
      await peer.stop();
    }
    const r = await runConfig(esPipeline({ port: ours.port, input, output, plugin }));
    assertEquals(r.code, 0, r.stderr);
    // Documents byte for byte; action lines as JSON (Fluent Bit leaves non-ASCII ids raw).
    const parsed = (rx: EsReceiver) => bulkPairs(rx).map(([a, d]) => [JSON.parse(a), d]);
    // Fluent Bit sends a chunk again when its bulk answer has any error (a 409 for a repeated
    // generate_id), so its receiver may hold repeats: compare the distinct pairs, and count ours.
    const distinct = (rx: EsReceiver) => [...new Set(parsed(rx).map((p) => JSON.stringify(p)))];
    assertEquals(distinct(ours), distinct(theirs));
    assertEquals(parsed(ours).length, n);
    assertEquals(ours.requests[0]!.headers.get("content-type"), "application/x-ndjson");
  } finally {
    await theirs.stop();
    await ours.stop();
  }
}

Deno.test("es bulk bodies equal Fluent Bit's: defaults", async () => {
  await compareWithFluentBit([], 3);
});

Deno.test("es bulk bodies equal Fluent Bit's: logstash, tag key, dots, nanos, generate_id", async () => {
  await compareWithFluentBit([
    "logstash_format: on",
    "logstash_prefix: app",
    "logstash_dateformat: '%Y%m%d'",
    "include_tag_key: on",
    "replace_dots: on",
    "time_key: ts",
    "time_key_nanos: on",
    "generate_id: on",
    "suppress_type_name: on",
  ], 3);
});

Deno.test("es bulk bodies equal Fluent Bit's: upsert by id_key, index operation", async () => {
  await compareWithFluentBit([
    "write_operation: upsert",
    "id_key: $log",
    "type: log",
  ], 1);
});

Deno.test("opensearch bulk bodies equal Fluent Bit's opensearch output's", async () => {
  await compareWithFluentBit(
    [
      "logstash_format: on",
      "include_tag_key: on",
      "replace_dots: on",
      "suppress_type_name: on",
      "write_operation: index",
    ],
    3,
    "opensearch",
  );
});

Deno.test("opensearch aws_auth: SigV4 for aoss checked by the receiver; a wrong secret is refused", async () => {
  const os = await EsReceiver.start({
    aws: { secrets: { AKIDTEST: "s3cr3t" }, region: "eu-west-1", service: "aoss" },
  });
  const env = (secret: string) => ({
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: secret,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
  });
  try {
    const yaml = esPipeline({
      port: os.port,
      plugin: "opensearch",
      input: dummy(3),
      output: [
        "aws_auth: on",
        "aws_region: eu-west-1",
        "aws_service_name: aoss",
        "suppress_type_name: on",
        "compress: gzip",
      ],
    });
    os.awsExpired = 1; // the first request meets an expired token: fresh keys, sent again
    const ok = await runConfig(yaml, env("s3cr3t"));
    assertEquals(ok.code, 0, ok.stderr);
    assertEquals(os.docs("fluent-bit").length, 3);
    assertEquals(os.requests.map((r) => r.status), [403, 200]);
    assertStringIncludes(ok.stderr, "refreshing the AWS credentials");
    const auth = os.requests[0]!.headers.get("authorization") ?? "";
    assertStringIncludes(auth, "AWS4-HMAC-SHA256 Credential=AKIDTEST/");
    assertStringIncludes(auth, "/eu-west-1/aoss/aws4_request");
    const bad = await runConfig(yaml, env("wrong"));
    assertStringIncludes(bad.stderr, "HTTP 403");
    assertStringIncludes(bad.stderr, "signature");
    assertEquals(os.docs("fluent-bit").length, 3);
  } finally {
    await os.stop();
  }
});

Deno.test("es bulk bodies equal Fluent Bit's: records with their own @timestamp and tag key", async () => {
  await compareWithFluentBit(["include_tag_key: on", "generate_id: on"], 2, "es", [
    "name: dummy",
    "tag: app.web",
    `dummy: '{"@timestamp":"2024-01-01T00:00:00Z","log":"own","flb-key":"mine"}'`,
    "samples: 2",
    "rate: 100",
    "fixed_timestamp: on",
    "start_time_sec: 1700000000",
    "start_time_nsec: 0",
  ]);
});
