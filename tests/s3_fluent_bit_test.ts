/**
 * Fluent Bit 4.2.8's s3 output and sluice's against the same local S3 (signatures checked
 * with the test secret): the same kind of request, key layout, headers and object lines for
 * the same input. Skips without the peer.
 */
import { assertEquals, assertMatch } from "../src/testing/assert.ts";
import { TestKeys } from "../src/testing/aws_keys.ts";
import { S3Receiver, type S3Request } from "../src/testing/s3_receiver.ts";
import {
  fluentBitPath,
  fluentBitPlugin,
  NO_PEER,
  spawnFluentBit,
} from "../src/testing/fluent_bit.ts";
import { waitFor } from "./_helpers.ts";
import { awsEnv, runConfig, tailOnceConfig, TEST_KEY_ID, TEST_SECRET, withEnv } from "./_aws.ts";

const LINES = Array.from({ length: 50 }, (_, i) => `line ${i} "quoted" ünï`).join("\n") + "\n";

function shape(r: S3Request) {
  return {
    method: r.method,
    encoding: r.headers.get("content-encoding"),
    hashed: /^[0-9a-f]{64}$/.test(r.headers.get("x-amz-content-sha256") ?? ""),
    signed: /SignedHeaders=([^,]+)/.exec(r.headers.get("authorization") ?? "")?.[1]?.split(";")
      .filter((h) => ["host", "x-amz-date", "x-amz-content-sha256"].includes(h)).sort(),
  };
}

Deno.test("s3: the same request, key layout and object lines as Fluent Bit 4.2.8", async (t) => {
  const bin = await fluentBitPath();
  if (!bin) {
    console.log(NO_PEER);
    return;
  }
  const rx = S3Receiver.start(new TestKeys({ [TEST_KEY_ID]: TEST_SECRET }), {
    buckets: ["fb", "sl"],
  });
  const dir = await Deno.makeTempDir({ prefix: "sluice_s3_fb_" });
  await Deno.writeTextFile(`${dir}/in.log`, LINES);
  const common = {
    region: "us-east-1",
    endpoint: rx.url,
    use_put_object: "on",
    total_file_size: "1M",
    compression: "gzip",
    upload_timeout: "1s",
  };
  const fb = await withEnv(awsEnv(), () =>
    spawnFluentBit(bin, [
      "-f",
      "1",
      ...fluentBitPlugin("-i", "tail", { path: `${dir}/in.log`, read_from_head: "on", tag: "app" }),
      ...fluentBitPlugin("-o", "s3", {
        match: "*",
        bucket: "fb",
        store_dir: `${dir}/fb-store`,
        ...common,
      }),
    ]));
  try {
    await waitFor(() => [...rx.objects.keys()].some((k) => k.startsWith("fluent-bit-logs")), {
      timeoutMs: 60_000,
      what: "Fluent Bit's object",
    });
  } finally {
    await fb.stop();
  }
  const fbObjects = new Map(rx.objects);
  const fbRequests = [...rx.requests];
  const run = await runConfig(
    tailOnceConfig(`${dir}/in.log`, "s3", { bucket: "sl", store_dir: "${DIR}/store", ...common }),
    { env: awsEnv() },
  );
  await rx.stop();
  assertEquals(run.code, 0, run.stderr);
  const ours = rx.requests.slice(fbRequests.length);
  await t.step("both are signed right", () => assertEquals([...rx.keys.refused.entries()], []));
  await t.step("one PutObject each, with the same headers", () => {
    assertEquals(ours.map(shape), fbRequests.map(shape));
  });
  await t.step("the same key layout", () => {
    const layout = (target: string) =>
      target.replace(/^\/(fb|sl)\//, "/B/").replace(/\d{4}\/\d\d\/\d\d\/\d\d\/\d\d\/\d\d/, "T")
        .replace(/-object[A-Za-z0-9]{8}$/, "-objectR");
    assertEquals(ours.map((r) => layout(r.target)), fbRequests.map((r) => layout(r.target)));
    for (const r of ours) assertMatch(layout(r.target), /^\/B\/fluent-bit-logs\/app\/T-objectR$/);
  });
  await t.step("the same lines but for the date's digits", () => {
    const fbKeys = [...fbObjects.keys()];
    const ourKeys = [...rx.objects.keys()].filter((k) => !fbObjects.has(k));
    const linesOf = (keys: string[]) =>
      keys.map((k) => rx.text(k)).join("").split("\n").filter((l) => l !== "");
    const undated = (l: string) => l.replace(/"date":"[^"]+"/, '"date":"D"');
    assertEquals(linesOf(ourKeys).map(undated), linesOf(fbKeys).map(undated));
    const dateOf = (keys: string[]) => /"date":"([^"]+)"/.exec(linesOf(keys)[0] ?? "")?.[1] ?? "";
    assertEquals(dateOf(ourKeys).replace(/\d/g, "9"), dateOf(fbKeys).replace(/\d/g, "9"));
  });
});
