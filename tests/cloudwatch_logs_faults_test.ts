/**
 * cloudwatch_logs under faults, through the CLI: CloudWatch down for 30 s, one stream
 * throttled while another takes its events, credentials that expire mid-run (ECS), and a
 * role assumed through STS. Every request is checked for its SigV4 signature.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { TestKeys } from "../src/testing/aws_keys.ts";
import { CloudwatchReceiver } from "../src/testing/cloudwatch_receiver.ts";
import { listDeadLetters } from "../src/engine/storage/dead_letter.ts";
import { verifySignature } from "../src/net/aws/verify.ts";
import { waitFor } from "./_helpers.ts";
import { missingIds as missing } from "./_delivery.ts";
import {
  awsEnv,
  deliverThroughOutage,
  jsonLines,
  nCounts,
  noKeysEnv,
  runConfig,
  serviceSection,
  startConfig,
  TEST_KEY_ID,
  TEST_SECRET,
} from "./_aws.ts";

function config(rx: CloudwatchReceiver, output: readonly string[], exitOnEof = false) {
  return `${serviceSection(["storage.path: \${DIR}/store", "storage.keep.rejected: on"])}
pipeline:
  inputs:
    - name: tail
      path: \${DIR}/in.log
      tag: app
      read_from_head: true
      exit_on_eof: ${exitOnEof}
      parser: json
      refresh_interval: 0.2
  outputs:
    - name: cloudwatch_logs
      match: "*"
      region: eu-west-1
      endpoint: ${rx.url}
      log_group_name: app
      retry_limit: no_limits
${output.map((l) => `      ${l}\n`).join("")}`;
}

/** How many times each `n` arrived, over every stream. */
function counts(rx: CloudwatchReceiver): Map<number, number> {
  return nCounts(rx.allEvents().map((e) => e.message));
}

Deno.test("cloudwatch_logs: CloudWatch down for 30 s, then back: every record delivered, none twice", async () => {
  const rx = CloudwatchReceiver.start(new TestKeys({ [TEST_KEY_ID]: TEST_SECRET }), {
    region: "eu-west-1",
  });
  rx.createGroup("app");
  const dir = await Deno.makeTempDir({ prefix: "sluice_cw_down_" });
  await Deno.writeTextFile(`${dir}/in.log`, jsonLines(0, 1000));
  const sluice = await startConfig(dir, config(rx, ["log_stream_name: s"]), awsEnv());
  await deliverThroughOutage({
    rx,
    sluice,
    log: `${dir}/in.log`,
    lines: jsonLines,
    received: () => rx.allEvents().map((e) => e.message),
    before: 1000,
    total: 3000,
    backTimeoutMs: 60_000,
  });
});

Deno.test("cloudwatch_logs: a throttled stream is retried alone; the other stream's events are sent once", async () => {
  const rx = CloudwatchReceiver.start(new TestKeys({ [TEST_KEY_ID]: TEST_SECRET }), {
    region: "eu-west-1",
  });
  rx.createGroup("app");
  rx.errors.push({
    action: "PutLogEvents",
    stream: "odd",
    status: 400,
    code: "ThrottlingException",
    message: "Rate exceeded",
    times: 3,
  });
  const lines =
    Array.from({ length: 200 }, (_, n) => JSON.stringify({ n, kind: n % 2 ? "odd" : "even" }))
      .join("\n") + "\n";
  const run = await runConfig(
    config(rx, ["log_stream_name: s", "log_stream_template: $kind"], true),
    {
      files: { "in.log": lines },
      env: awsEnv(),
    },
  );
  assertEquals(run.code, 0, run.stderr);
  assertEquals(rx.events("app", "even").length, 100);
  assertEquals(rx.events("app", "odd").length, 100);
  const c = counts(rx);
  assertEquals(missing(c, 200), []);
  assertEquals([...c.values()].filter((v) => v > 1).length, 0, "nothing sent twice");
  const evenPuts = rx.requests.filter((r) =>
    r.action === "PutLogEvents" && r.body.includes('"even"')
  );
  assertEquals(evenPuts.length, 1, "the even stream was not sent again");
  const oddPuts = rx.requests.filter((r) =>
    r.action === "PutLogEvents" && r.body.includes('"odd"')
  );
  assertEquals(oddPuts.map((r) => r.status), [400, 400, 400, 200]);
});

Deno.test("cloudwatch_logs: ECS credentials that expire mid-run are refreshed without losing the batch", async () => {
  const keys = new TestKeys();
  let issued = 0;
  const ecs = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    if (req.headers.get("authorization") !== "ecs-secret-token") {
      return new Response("unauthorized", { status: 401 });
    }
    issued++;
    const id = `ASIAECS${issued}`;
    keys.keys.set(id, {
      secret: `secret-${issued}`,
      sessionToken: `token-${issued}`,
      expiresAt: Date.now() + 2000, // CloudWatch stops taking it in 2 s
    });
    return Response.json({
      AccessKeyId: id,
      SecretAccessKey: `secret-${issued}`,
      Token: `token-${issued}`,
      // Said to last longer than it does: the refusal, not the clock, makes sluice refresh.
      Expiration: new Date(Date.now() + 3600_000).toISOString(),
    });
  });
  const rx = CloudwatchReceiver.start(keys, { region: "eu-west-1" });
  rx.createGroup("app");
  const dir = await Deno.makeTempDir({ prefix: "sluice_cw_expire_" });
  await Deno.writeTextFile(`${dir}/in.log`, jsonLines(0, 100));
  const env = noKeysEnv({
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${ecs.addr.port}/creds`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: "ecs-secret-token",
  });
  const sluice = await startConfig(dir, config(rx, ["log_stream_name: s"]), env);
  try {
    await waitFor(() => rx.allEvents().length >= 100, { timeoutMs: 30_000, what: "first 100" });
    await waitFor(() => Date.now() > keys.keys.get("ASIAECS1")!.expiresAt!, { what: "expiry" });
    await Deno.writeTextFile(`${dir}/in.log`, jsonLines(100, 200), { append: true });
    await waitFor(() => rx.allEvents().length >= 200, { timeoutMs: 30_000, what: "all 200" });
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.log());
    await rx.stop();
    await ecs.shutdown();
  }
  assertEquals(missing(counts(rx), 200), []);
  assert((rx.keys.refused.get("ExpiredTokenException") ?? 0) >= 1, "the old key was refused");
  assert(issued >= 2, "new credentials were fetched");
  assertEquals(await listDeadLetters(`${dir}/store/rejected`), [], "nothing dead-lettered");
});

Deno.test("cloudwatch_logs: role_arn assumes the role through STS (sts_endpoint), signed with the base keys", async () => {
  const keys = new TestKeys({ ASIAROLE: { secret: "role-secret", sessionToken: "role-token" } });
  const stsCalls: string[] = [];
  const sts = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const verdict = await verifySignature(
      {
        method: req.method,
        target: `${url.pathname}${url.search}`,
        headers: req.headers,
        body: new Uint8Array(await req.arrayBuffer()),
      },
      (id) => id === TEST_KEY_ID ? TEST_SECRET : undefined,
    );
    stsCalls.push(
      `${verdict.ok ? verdict.service : "refused"} ${url.searchParams.get("Action")} ${
        url.searchParams.get("RoleArn")
      }`,
    );
    if (!verdict.ok) {
      return new Response(
        "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>",
        { status: 403 },
      );
    }
    return new Response(
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId>" +
        "<SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-token</SessionToken>" +
        `<Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration>` +
        "</Credentials></AssumeRoleResult></AssumeRoleResponse>",
      { headers: { "content-type": "text/xml" } },
    );
  });
  const rx = CloudwatchReceiver.start(keys, { region: "eu-west-1" });
  rx.createGroup("app");
  const run = await runConfig(
    config(rx, [
      "log_stream_name: s",
      "role_arn: arn:aws:iam::123456789012:role/logs",
      `sts_endpoint: http://127.0.0.1:${sts.addr.port}`,
    ], true),
    { files: { "in.log": jsonLines(0, 50) }, env: awsEnv() },
  );
  await rx.stop();
  await sts.shutdown();
  assertEquals(run.code, 0, run.stderr);
  assertEquals(missing(counts(rx), 50), []);
  assertEquals(stsCalls, ["sts AssumeRole arn:aws:iam::123456789012:role/logs"]);
  for (const r of rx.requests) assertEquals(r.headers.get("x-amz-security-token"), "role-token");
});

Deno.test("cloudwatch_logs: keys from the shared credentials file (profile), then from EC2 IMDSv2", async () => {
  const keys = new TestKeys({
    AKIDPROFILE: "profile-secret",
    ASIAIMDS: { secret: "imds-secret", sessionToken: "imds-token" },
  });
  const rx = CloudwatchReceiver.start(keys, { region: "eu-west-1" });
  rx.createGroup("app");
  const file = await Deno.makeTempFile();
  await Deno.writeTextFile(
    file,
    "[default]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = x\n" +
      "[ops]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
  );
  const fromFile = await runConfig(config(rx, ["log_stream_name: file", "profile: ops"], true), {
    files: { "in.log": jsonLines(0, 20) },
    env: noKeysEnv({ AWS_SHARED_CREDENTIALS_FILE: file }),
  });
  assertEquals(fromFile.code, 0, fromFile.stderr);
  assertEquals(rx.events("app", "file").length, 20);

  const imdsSeen: string[] = [];
  const imds = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    imdsSeen.push(`${req.method} ${path}`);
    if (req.method === "PUT" && path === "/latest/api/token") return new Response("tok");
    if (req.headers.get("x-aws-ec2-metadata-token") !== "tok") {
      return new Response("", { status: 401 });
    }
    if (path === "/latest/meta-data/iam/security-credentials/") return new Response("node-role");
    return Response.json({
      Code: "Success",
      AccessKeyId: "ASIAIMDS",
      SecretAccessKey: "imds-secret",
      Token: "imds-token",
      Expiration: new Date(Date.now() + 3600_000).toISOString(),
    });
  });
  const fromImds = await runConfig(config(rx, ["log_stream_name: imds"], true), {
    files: { "in.log": jsonLines(0, 20) },
    env: {
      ...noKeysEnv(),
      AWS_EC2_METADATA_DISABLED: "",
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${imds.addr.port}`,
    },
  });
  await imds.shutdown();
  await rx.stop();
  await Deno.remove(file);
  assertEquals(fromImds.code, 0, fromImds.stderr);
  assertEquals(rx.events("app", "imds").length, 20);
  assertEquals(imdsSeen.slice(0, 3), [
    "PUT /latest/api/token",
    "GET /latest/meta-data/iam/security-credentials/",
    "GET /latest/meta-data/iam/security-credentials/node-role",
  ]);
  assertEquals([...rx.keys.refused.keys()], []);
});
