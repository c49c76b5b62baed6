/**
 * Fluent Bit 4.2.8's cloudwatch_logs and sluice's against the same local CloudWatch Logs
 * (TLS, signatures checked with the test secret): the same calls in the same order, the same
 * protocol headers, the same messages for the same lines. Skips without the peer.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { TestKeys } from "../src/testing/aws_keys.ts";
import { CloudwatchReceiver, type LogsRequest } from "../src/testing/cloudwatch_receiver.ts";
import {
  fluentBitPath,
  fluentBitPlugin,
  NO_PEER,
  spawnFluentBit,
} from "../src/testing/fluent_bit.ts";
import { selfSignedCert } from "../src/testing/tls_certs.ts";
import { waitFor } from "./_helpers.ts";
import { awsEnv, runConfig, tailOnceConfig, TEST_KEY_ID, TEST_SECRET, withEnv } from "./_aws.ts";

const LINES = [
  '{"n":1,"msg":"plain"}',
  'a line with "quotes" and \\backslashes\\',
  "unicode: héllo wörld ✓",
  "tab\there",
  ...Array.from({ length: 20 }, (_, i) => `line ${i}`),
].join("\n") + "\n";

function protocolHeaders(r: LogsRequest) {
  return {
    action: r.action,
    contentType: r.headers.get("content-type"),
    signed: /SignedHeaders=([^,]+)/.exec(r.headers.get("authorization") ?? "")?.[1]?.split(";")
      .filter((h) => ["host", "x-amz-date", "x-amz-target", "content-type"].includes(h)).sort(),
  };
}

Deno.test("cloudwatch_logs: the same calls, headers and messages as Fluent Bit 4.2.8", async (t) => {
  const bin = await fluentBitPath();
  if (!bin) {
    console.log(NO_PEER);
    return;
  }
  const cert = await selfSignedCert();
  const rx = CloudwatchReceiver.start(new TestKeys({ [TEST_KEY_ID]: TEST_SECRET }), {
    tls: { cert: cert.cert, key: cert.key },
  });
  const dir = await Deno.makeTempDir({ prefix: "sluice_cw_fb_" });
  await Deno.writeTextFile(`${dir}/in.log`, LINES);
  const fb = await withEnv(awsEnv(), () =>
    spawnFluentBit(bin, [
      "-f",
      "1",
      ...fluentBitPlugin("-i", "tail", {
        path: `${dir}/in.log`,
        read_from_head: "on",
        tag: "app",
        db: `${dir}/fb.db`,
      }),
      ...fluentBitPlugin("-o", "cloudwatch_logs", {
        match: "*",
        region: "us-east-1",
        log_group_name: "fb",
        log_stream_name: "s",
        auto_create_group: "on",
        endpoint: "127.0.0.1",
        port: rx.port,
        "tls.verify": "off",
      }),
    ]));
  try {
    await waitFor(() => rx.events("fb", "s").length >= 24, {
      timeoutMs: 30_000,
      what: "Fluent Bit's events",
    });
  } finally {
    await fb.stop();
  }
  const fbRequests = [...rx.requests];
  const run = await runConfig(
    tailOnceConfig(`${dir}/in.log`, "cloudwatch_logs", {
      region: "us-east-1",
      log_group_name: "sl",
      log_stream_name: "s",
      auto_create_group: "on",
      endpoint: "127.0.0.1",
      port: rx.port,
      "tls.verify": "off",
    }),
    { env: awsEnv() },
  );
  await rx.stop();
  assertEquals(run.code, 0, run.stderr);
  const ours = rx.requests.slice(fbRequests.length);
  await t.step("both are signed right", () => {
    assertEquals([...rx.keys.refused.entries()], []);
  });
  await t.step("the same calls in the same order, with the same protocol headers", () => {
    assertEquals(ours.map(protocolHeaders), fbRequests.map(protocolHeaders));
  });
  await t.step("the same messages and timestamps' shape", () => {
    const fbEvents = rx.events("fb", "s");
    const ourEvents = rx.events("sl", "s");
    assertEquals(ourEvents.map((e) => e.message), fbEvents.map((e) => e.message));
    for (const e of [...fbEvents, ...ourEvents]) assertEquals(Number.isInteger(e.timestamp), true);
  });
  await t.step("the same request bodies but for the group name", () => {
    const shape = (r: LogsRequest) => {
      const doc = JSON.parse(r.body);
      if (doc.logEvents) doc.logEvents = doc.logEvents.map((e: { message: string }) => e.message);
      return { ...doc, logGroupName: "*" };
    };
    assertEquals(ours.map(shape), fbRequests.map(shape));
  });
});
