/**
 * s3 under faults, through the CLI: S3 down for 30 s during a run, and sluice killed
 * (SIGKILL) in the middle of a multipart upload, then started again. Every request's
 * signature is checked by the local S3.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { TestKeys } from "../src/testing/aws_keys.ts";
import { S3Receiver } from "../src/testing/s3_receiver.ts";
import { waitFor } from "./_helpers.ts";
import { missingIds as missing } from "./_delivery.ts";
import {
  awsEnv,
  deliverThroughOutage,
  nCounts,
  paddedJsonLines as lines,
  serviceSection,
  startConfig,
  TEST_KEY_ID,
  TEST_SECRET,
} from "./_aws.ts";

function config(url: string, output: readonly string[], exitOnEof = false) {
  return `${serviceSection()}
pipeline:
  inputs:
    - name: tail
      path: \${DIR}/in.log
      tag: app
      read_from_head: true
      exit_on_eof: ${exitOnEof}
      refresh_interval: 0.2
      db: \${DIR}/tail.db
      parser: json
  outputs:
    - name: s3
      match: "*"
      bucket: logs
      endpoint: ${url}
      store_dir: \${DIR}/s3
${output.map((l) => `      ${l}\n`).join("")}`;
}

function counts(rx: S3Receiver): Map<number, number> {
  return nCounts(rx.lines());
}

Deno.test("s3: S3 down for 30 s, then back: the buffered records are uploaded, none lost, none twice", async () => {
  const rx = S3Receiver.start(new TestKeys({ [TEST_KEY_ID]: TEST_SECRET }));
  const dir = await Deno.makeTempDir({ prefix: "sluice_s3_down_" });
  await Deno.writeTextFile(`${dir}/in.log`, lines(0, 500));
  const output = ["use_put_object: on", "total_file_size: 1M", "upload_timeout: 1s"];
  const sluice = await startConfig(dir, config(rx.url, output), awsEnv());
  await deliverThroughOutage({
    rx,
    sluice,
    log: `${dir}/in.log`,
    lines,
    received: () => rx.lines(),
    before: 500,
    total: 1500,
    backTimeoutMs: 90_000,
  });
});

Deno.test("s3: killed in the middle of a multipart upload, the next start finishes it from store_dir", async () => {
  const rx = S3Receiver.start(new TestKeys({ [TEST_KEY_ID]: TEST_SECRET }));
  const dir = await Deno.makeTempDir({ prefix: "sluice_s3_kill_" });
  const n = 150_000; // 15 MB: parts of 6 MB
  await Deno.writeTextFile(`${dir}/in.log`, lines(0, n));
  const output = ["total_file_size: 50M", "upload_chunk_size: 6M", "upload_timeout: 10m"];
  const first = await startConfig(dir, config(rx.url, output), awsEnv());
  const parts = () => [...rx.uploads.values()].reduce((k, u) => k + u.parts.size, 0);
  try {
    await waitFor(() => parts() >= 2, { timeoutMs: 60_000, what: "two parts sent" });
  } finally {
    await first.kill();
  }
  assertEquals(rx.objects.size, 0, "nothing completed before the crash");
  const second = await startConfig(dir, config(rx.url, output, true), awsEnv());
  const code = await waitFor(() => {
    // exit_on_eof: the second run ends by itself once the file is read and sent
    return rx.objects.size >= 1 ? true : undefined;
  }, { timeoutMs: 90_000, what: "the completed object" }).then(() => second.stop());
  await rx.stop();
  assertEquals(code, 0, second.log());
  assertEquals(rx.objects.size, 1);
  const [o] = [...rx.objects.values()];
  assertEquals(o!.via, "CompleteMultipartUpload");
  const c = counts(rx);
  assertEquals(missing(c, n), [], "every record in the object");
  const twice = [...c.values()].filter((v) => v > 1).length;
  // At-least-once: what tail had read but not yet committed when killed comes again. Tail may
  // hold up to its in-flight cap (16 MB, here the whole 15 MB file) unacknowledged, so under
  // load that can be most of the file; never all of it twice, since two parts were acked.
  assert(twice < n, `${twice} records twice`);
  console.log(`records sent twice after the crash: ${twice}`);
});

Deno.test("s3: an S3 that never answers does not hold the shutdown; the data stays in store_dir", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn); // read nothing, answer nothing
  })().catch(() => {});
  const port = (listener.addr as Deno.NetAddr).port;
  const dir = await Deno.makeTempDir({ prefix: "sluice_s3_hang_" });
  await Deno.writeTextFile(`${dir}/in.log`, lines(0, 100));
  const sluice = await startConfig(
    dir,
    config(`http://127.0.0.1:${port}`, ["use_put_object: on", "total_file_size: 1M"], true),
    awsEnv(),
  );
  // exit_on_eof: it stops by itself; a hung shutdown is killed after a minute and fails.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const code = await Promise.race([
    sluice.done,
    new Promise<string>((r) => (timer = setTimeout(() => r("still running after 60 s"), 60_000))),
  ]);
  clearTimeout(timer);
  if (typeof code === "string") await sluice.kill();
  listener.close();
  for (const c of held) c.close();
  await accepting;
  assertEquals(code, 0, sluice.log());
  const left = [...Deno.readDirSync(`${dir}/s3/logs`)].filter((e) => e.name.endsWith(".data"));
  assertEquals(left.length, 1, "the records wait in store_dir for the next start");
});
