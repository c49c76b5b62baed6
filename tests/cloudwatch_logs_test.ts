/**
 * The cloudwatch_logs output through the CLI against a local CloudWatch Logs that checks
 * every request's SigV4 signature and follows the service's API (src/testing/cloudwatch_receiver.ts).
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { TestKeys } from "../src/testing/aws_keys.ts";
import { CloudwatchReceiver } from "../src/testing/cloudwatch_receiver.ts";
import { listDeadLetters, readDeadLetter } from "../src/engine/storage/dead_letter.ts";
import type { LogRecord } from "../src/event/log_record.ts";
import { startService } from "./_delivery.ts";
import {
  awsEnv,
  jsonLines,
  runConfig,
  serviceSection,
  TEST_KEY_ID,
  TEST_SECRET,
  withEnv,
} from "./_aws.ts";

function tailToCloudwatch(
  rx: CloudwatchReceiver,
  output: readonly string[],
  service: readonly string[] = [],
) {
  return `${serviceSection(service)}
parsers:
  - name: json_time
    format: json
    time_key: time
    time_format: "%Y-%m-%dT%H:%M:%S%z"
pipeline:
  inputs:
    - name: tail
      path: \${DIR}/in.log
      tag: app.web
      read_from_head: true
      exit_on_eof: true
      parser: json_time
  outputs:
    - name: cloudwatch_logs
      match: "*"
      region: us-east-1
      endpoint: ${rx.url}
${output.map((l) => `      ${l}\n`).join("")}`;
}

function keys() {
  return new TestKeys({ [TEST_KEY_ID]: TEST_SECRET });
}

Deno.test("cloudwatch_logs: every line reaches its stream in order, each request signed", async () => {
  const rx = CloudwatchReceiver.start(keys());
  const n = 25_000; // more than one PutLogEvents call of 10,000
  const run = await runConfig(
    tailToCloudwatch(rx, [
      "log_group_name: app",
      "log_stream_prefix: host1-",
      "auto_create_group: on",
    ]),
    { files: { "in.log": jsonLines(0, n) } },
  );
  assertEquals(run.code, 0, run.stderr);
  const events = rx.events("app", "host1-app.web");
  assertEquals(events.length, n);
  events.forEach((e, i) => assertEquals(JSON.parse(e.message), { n: i, msg: `line ${i}` }));
  const actions = rx.requests.map((r) => r.action);
  assertEquals(actions.slice(0, 3), ["CreateLogStream", "CreateLogGroup", "CreateLogStream"]);
  assert(actions.filter((a) => a === "PutLogEvents").length >= 3);
  assertEquals([...rx.keys.refused.keys()], [], "no request was refused");
  for (const r of rx.requests) {
    assertEquals(r.headers.get("content-type"), "application/x-amz-json-1.1");
    assertStringIncludes(r.headers.get("authorization") ?? "", `Credential=${TEST_KEY_ID}/`);
  }
  await rx.stop();
});

Deno.test("cloudwatch_logs: log_key sends the value alone; log_stream_template picks the stream", async () => {
  const rx = CloudwatchReceiver.start(keys());
  rx.createGroup("app");
  const lines = '{"msg":"hello","svc":"api"}\n{"msg":"world"}\n{"other":1,"svc":"api"}\n';
  const run = await runConfig(
    tailToCloudwatch(rx, [
      "log_group_name: app",
      "log_stream_name: fallback",
      "log_stream_template: $TAG[1]_$svc",
      "log_key: msg",
    ], ["storage.path: ${DIR}/store", "storage.keep.rejected: on"]),
    { files: { "in.log": lines } },
  );
  assertEquals(run.code, 0, run.stderr);
  assertEquals(rx.events("app", "web_api").map((e) => e.message), ["hello"]);
  assertEquals(rx.events("app", "fallback").map((e) => e.message), ["world"]);
  // The record without log_key is dead-lettered with the reason, not lost.
  const letters = await listDeadLetters(`${run.dir}/store/rejected`);
  assertEquals(letters.length, 1);
  assertStringIncludes(letters[0]!.header.reason, "log_key 'msg' not found in record");
  const { records } = await readDeadLetter(letters[0]!.path);
  assertEquals((records as LogRecord[]).map((r) => r.body), [{ other: 1, svc: "api" }]);
  await rx.stop();
});

Deno.test("cloudwatch_logs: events CloudWatch rejects (tooOld, tooNew) are dead-lettered with the reason, the rest delivered", async () => {
  const rx = CloudwatchReceiver.start(keys());
  rx.createGroup("app");
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "+0000");
  const lines = [
    { time: iso(now - 20 * 86_400_000), n: 0 }, // too old
    { time: iso(now - 60_000), n: 1 },
    { time: iso(now), n: 2 },
    { time: iso(now + 5 * 3600_000), n: 3 }, // too new
  ].map((l) => JSON.stringify(l)).join("\n") + "\n";
  const run = await runConfig(
    tailToCloudwatch(rx, ["log_group_name: app", "log_stream_name: s"], [
      "storage.path: ${DIR}/store",
      "storage.keep.rejected: on",
      "http_server: off",
    ]),
    { files: { "in.log": lines } },
  );
  assertEquals(run.code, 0, run.stderr);
  assertEquals(rx.events("app", "s").map((e) => JSON.parse(e.message).n), [1, 2]);
  const letters = await listDeadLetters(`${run.dir}/store/rejected`);
  const reasons = new Map<string, number[]>();
  for (const l of letters) {
    const { records } = await readDeadLetter(l.path);
    reasons.set(l.header.reason, (records as LogRecord[]).map((r) => r.body.n as number));
  }
  assertEquals(reasons.size, 2, [...reasons.keys()].join("; "));
  for (const [reason, ns] of reasons) {
    if (reason.includes("tooOld")) assertEquals(ns, [0]);
    else if (reason.includes("tooNew")) assertEquals(ns, [3]);
    else throw new Error(`unexpected reason ${reason}`);
  }
  // Each event was sent once (no retry of what CloudWatch refused), in batches spanning
  // less than 24 hours.
  const sent = rx.requests.filter((r) => r.action === "PutLogEvents" && r.status === 200)
    .flatMap((r) =>
      JSON.parse(r.body).logEvents.map((e: { message: string }) => JSON.parse(e.message).n)
    );
  assertEquals(sent.sort(), [0, 1, 2, 3]);
  await rx.stop();
});

Deno.test("cloudwatch_logs: a wrong secret key is a permanent error with a clear message, not a retry loop", async () => {
  const rx = CloudwatchReceiver.start(keys());
  rx.createGroup("app");
  const run = await runConfig(
    tailToCloudwatch(rx, ["log_group_name: app", "log_stream_name: s", "retry_limit: 5"], [
      "storage.path: ${DIR}/store",
      "storage.keep.rejected: on",
    ]),
    { files: { "in.log": jsonLines(0, 10) }, env: awsEnv({}, TEST_KEY_ID, "wrong-secret") },
  );
  assertEquals(run.code, 0, run.stderr);
  assertEquals(rx.allEvents().length, 0);
  assertStringIncludes(run.stderr, "InvalidSignatureException");
  assertStringIncludes(run.stderr, "the AWS key is wrong or unknown");
  // One call, and one more after refreshing the credentials: then it stops.
  assertEquals(rx.requests.length, 2);
  assertEquals(rx.keys.refused.get("InvalidSignatureException"), 2);
  const letters = await listDeadLetters(`${run.dir}/store/rejected`);
  assertEquals(letters.length, 1);
  assertStringIncludes(letters[0]!.header.reason, "InvalidSignatureException");
  await rx.stop();
});

Deno.test("cloudwatch_logs: a missing log group with auto_create_group off is retried, then dead-lettered with the way out", async () => {
  const rx = CloudwatchReceiver.start(keys());
  const run = await runConfig(
    tailToCloudwatch(rx, ["log_group_name: nogroup", "log_stream_name: s", "retry_limit: 1"], [
      "storage.path: ${DIR}/store",
      "storage.keep.rejected: on",
    ]),
    { files: { "in.log": jsonLines(0, 5) } },
  );
  await rx.stop();
  assertEquals(run.code, 0, run.stderr);
  const letters = await listDeadLetters(`${run.dir}/store/rejected`);
  assertEquals(letters.length, 1);
  assertStringIncludes(letters[0]!.header.reason, "retries exhausted");
  assertStringIncludes(letters[0]!.header.reason, "auto_create_group is off");
  assertEquals(
    rx.requests.filter((r) => r.action === "CreateLogStream").length,
    2,
    "a try and a retry",
  );
  assertEquals(rx.requests.filter((r) => r.action === "CreateLogGroup").length, 0);
});

Deno.test("cloudwatch_logs: rejected events are counted by reason, and as dead letters", async () => {
  const rx = CloudwatchReceiver.start(keys());
  rx.createGroup("app");
  const dir = await Deno.makeTempDir({ prefix: "sluice_cw_metrics_" });
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "+0000");
  await Deno.writeTextFile(
    `${dir}/in.log`,
    [now - 30 * 86_400_000, now - 15 * 86_400_000, now, now + 3 * 3600_000]
      .map((t, n) => JSON.stringify({ time: iso(t), n })).join("\n") + "\n",
  );
  const svc = await withEnv(awsEnv(), async () => {
    const svc = await startService(
      dir,
      tailToCloudwatch(rx, ["log_group_name: app", "log_stream_name: s"], [
        "storage.path: ${DIR}/store",
        "storage.keep.rejected: on",
      ]),
    );
    assertEquals(await svc.done, 0, svc.lines.join(""));
    return svc;
  });
  await rx.stop();
  const rejected = (reason: string) =>
    svc.metrics.value("sluice_cloudwatch_rejected_events_total", {
      name: "cloudwatch_logs.0",
      reason,
    });
  assertEquals([rejected("tooOld"), rejected("tooNew"), rejected("expired")], [2, 1, 0]);
  assertEquals(svc.value("sluice_output_dead_letter_records_total", "cloudwatch_logs.0"), 3);
  assertEquals(svc.value("fluentbit_output_proc_records_total", "cloudwatch_logs.0"), 1);
  assertEquals(svc.value("fluentbit_output_dropped_records_total"), 0);
});
