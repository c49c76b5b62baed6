/**
 * The s3 output through the CLI against a local S3 that checks every request's SigV4
 * signature (src/testing/s3_receiver.ts): PutObject and multipart uploads, gzip, key formats,
 * the local buffer surviving a restart while S3 is down, and a wrong key.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../src/testing/assert.ts";
import { TestKeys } from "../src/testing/aws_keys.ts";
import { S3Receiver } from "../src/testing/s3_receiver.ts";
import {
  awsEnv,
  paddedJsonLines as lines,
  runConfig,
  serviceSection,
  TEST_KEY_ID,
  TEST_SECRET,
} from "./_aws.ts";
import { tempDirWith } from "./_helpers.ts";

function keys() {
  return new TestKeys({ [TEST_KEY_ID]: TEST_SECRET });
}

function config(url: string, output: readonly string[], input: readonly string[] = []) {
  return `${serviceSection()}
pipeline:
  inputs:
    - name: tail
      path: \${DIR}/in.log
      tag: app.web
      read_from_head: true
      exit_on_eof: true
      parser: json
${input.map((l) => `      ${l}\n`).join("")}  outputs:
    - name: s3
      match: "*"
      bucket: logs
      region: us-east-1
      endpoint: ${url}
      store_dir: \${DIR}/s3
${output.map((l) => `      ${l}\n`).join("")}`;
}

/** The `n` of every stored line, in object key order. */
function ns(rx: S3Receiver): number[] {
  return rx.lines().map((l) => JSON.parse(l).n as number);
}

Deno.test("s3: PutObject with gzip, the default key format and the JSON lines Fluent Bit writes", async () => {
  const rx = S3Receiver.start(keys());
  const run = await runConfig(
    config(rx.url, [
      "use_put_object: on",
      "total_file_size: 1M",
      "compression: gzip",
      "send_content_md5: on",
      "content_type: application/x-ndjson",
      "canned_acl: bucket-owner-full-control",
      "storage_class: STANDARD_IA",
    ]),
    { files: { "in.log": lines(0, 2000) } },
  );
  await rx.stop();
  assertEquals(run.code, 0, run.stderr);
  assertEquals([...rx.keys.refused.keys()], [], "every request signed right");
  assertEquals(ns(rx), Array.from({ length: 2000 }, (_, i) => i));
  for (const [key, o] of rx.objects) {
    assertMatch(
      key,
      /^fluent-bit-logs\/app\.web\/\d{4}\/\d\d\/\d\d\/\d\d\/\d\d\/\d\d-object[A-Za-z0-9]{8}$/,
    );
    assertEquals(o.headers.get("content-encoding"), "gzip");
    assertEquals(o.headers.get("content-type"), "application/x-ndjson");
    assertEquals(o.headers.get("x-amz-acl"), "bucket-owner-full-control");
    assertEquals(o.headers.get("x-amz-storage-class"), "STANDARD_IA");
    assert(o.headers.has("content-md5"), "Content-MD5 sent (and checked by the receiver)");
    assertEquals(o.via, "PutObject");
  }
  const first = JSON.parse(rx.lines()[0]!);
  assertMatch(first.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  // 200 kB in files of at most 1 MB: more than one object only if the size says so.
  assert(rx.objects.size >= 1);
});

Deno.test("s3: a multipart upload of 5 MiB parts, completed at shutdown, with $TAG[n] and $INDEX keys", async () => {
  const rx = S3Receiver.start(keys());
  const n = 130_000; // 13 MB: two full parts and a last one
  const run = await runConfig(
    config(rx.url, [
      "total_file_size: 50M",
      "upload_chunk_size: 6M",
      "s3_key_format: /$TAG[0]/$TAG[1]/%Y/$INDEX.log",
    ]),
    { files: { "in.log": lines(0, n) }, timeoutMs: 120_000 },
  );
  await rx.stop();
  assertEquals(run.code, 0, run.stderr);
  assertEquals([...rx.keys.refused.keys()], []);
  assertEquals(rx.uploads.size, 0, "no upload left open");
  const objects = [...rx.objects.entries()];
  assertEquals(objects.length, 1, objects.map(([k]) => k).join(", "));
  const [key, o] = objects[0]!;
  assertMatch(key, /^app\/web\/\d{4}\/0\.log$/);
  assertEquals(o.via, "CompleteMultipartUpload");
  assert((o.parts ?? 0) >= 3, `parts: ${o.parts}`);
  assertEquals(ns(rx), Array.from({ length: n }, (_, i) => i));
  const methods = rx.requests.map((r) =>
    `${r.method} ${
      r.target.includes("?uploads")
        ? "create"
        : r.target.includes("partNumber")
        ? "part"
        : "complete"
    }`
  );
  assertEquals(methods[0], "POST create");
  assertEquals(methods[methods.length - 1], "POST complete");
});

Deno.test("s3: the buffer in store_dir survives a restart while S3 is down; the next start sends it", async () => {
  const rx = S3Receiver.start(keys());
  const port = rx.port;
  await rx.down();
  const dir = await tempDirWith({ "in.log": lines(0, 500) });
  const yaml = (input: string[]) =>
    config(`http://127.0.0.1:${port}`, ["use_put_object: on", "total_file_size: 1M"], input);
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    yaml(["db: ${DIR}/tail.db"]).replaceAll("${DIR}", dir),
  );
  const { runSluice } = await import("./_helpers.ts");
  const first = await runSluice(["-c", `${dir}/sluice.yaml`], { env: awsEnv(), timeoutMs: 60_000 });
  assertEquals(first.code, 0, first.stderr);
  assertStringIncludes(first.stderr, "stay in");
  const buffered = [...Deno.readDirSync(`${dir}/s3/logs`)].filter((e) => e.name.endsWith(".data"));
  assertEquals(buffered.length, 1, "the records wait in store_dir");
  rx.up();
  const second = await runSluice(["-c", `${dir}/sluice.yaml`], {
    env: awsEnv(),
    timeoutMs: 60_000,
  });
  await rx.stop();
  assertEquals(second.code, 0, second.stderr);
  assertEquals(ns(rx), Array.from({ length: 500 }, (_, i) => i), "each record once, none lost");
  assertEquals([...Deno.readDirSync(`${dir}/s3/logs`)].filter((e) => e.name.endsWith(".data")), []);
});

Deno.test("s3: a wrong secret key is refused for good with a clear message; the data is kept in failed/", async () => {
  const rx = S3Receiver.start(keys());
  const run = await runConfig(
    config(rx.url, ["use_put_object: on", "total_file_size: 1M"]),
    { files: { "in.log": lines(0, 100) }, env: awsEnv({}, TEST_KEY_ID, "not-the-secret") },
  );
  await rx.stop();
  assertEquals(run.code, 0, run.stderr);
  assertEquals(rx.objects.size, 0);
  assertStringIncludes(run.stderr, "SignatureDoesNotMatch");
  assertStringIncludes(run.stderr, "the AWS key is wrong or unknown");
  assertEquals(rx.requests.length, 2, "one try and one after refreshing the keys: no loop");
  const failed = [...Deno.readDirSync(`${run.dir}/s3/logs/failed`)].map((e) => e.name).sort();
  assertEquals(failed.length, 3);
  const reason = await Deno.readTextFile(
    `${run.dir}/s3/logs/failed/${failed.find((f) => f.endsWith(".reason"))}`,
  );
  assertStringIncludes(reason, "SignatureDoesNotMatch");
});

Deno.test("s3: gzip multipart parts are sized after compression, as S3 counts them", async () => {
  const rx = S3Receiver.start(keys());
  // Random padding barely compresses: 10 MB files make parts of about 6 MB once gzipped.
  const random = (i: number) => {
    const bytes = crypto.getRandomValues(new Uint8Array(150));
    return `{"n":${i},"pad":"${btoa(String.fromCharCode(...bytes))}"}\n`;
  };
  let text = "";
  const n = 100_000;
  for (let i = 0; i < n; i++) text += random(i);
  const run = await runConfig(
    config(rx.url, ["total_file_size: 100M", "upload_chunk_size: 10M", "compression: gzip"]),
    { files: { "in.log": text }, timeoutMs: 120_000 },
  );
  await rx.stop();
  assertEquals(run.code, 0, run.stderr);
  assertEquals(rx.uploads.size, 0);
  const objects = [...rx.objects.values()];
  assertEquals(objects.map((o) => o.via), ["CompleteMultipartUpload"]);
  assert((objects[0]!.parts ?? 0) >= 2);
  assertEquals(ns(rx), Array.from({ length: n }, (_, i) => i));
});
