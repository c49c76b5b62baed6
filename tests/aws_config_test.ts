/**
 * The AWS outputs' configs as Fluent Bit users write them: a classic .conf with most keys of
 * cloudwatch_logs and s3 is accepted by `sluice validate` (and by Fluent Bit 4.2.8's
 * --dry-run when the peer is there); a misspelt key names its line and the fix.
 */
import { assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { runSluice } from "./_helpers.ts";

const CONF = new URL("../testdata/aws/outputs.conf", import.meta.url).pathname;

Deno.test("sluice validate accepts the cloudwatch_logs and s3 .conf that Fluent Bit accepts", async () => {
  const ours = await runSluice(["validate", "-c", CONF]);
  assertEquals(ours.code, 0, ours.stderr);
  const bin = await fluentBitPath();
  if (!bin) return;
  const fb = await new Deno.Command(bin, {
    args: ["--dry-run", "-c", CONF],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  assertEquals(fb.code, 0, new TextDecoder().decode(fb.stderr));
});

Deno.test("a misspelt cloudwatch_logs key is reported at its line with a did-you-mean", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_aws_conf_" });
  const text = (await Deno.readTextFile(CONF)).replace("log_group_name ", "log_groupname  ");
  await Deno.writeTextFile(`${dir}/bad.conf`, text);
  const line = text.split("\n").findIndex((l) => l.includes("log_groupname")) + 1;
  const r = await runSluice(["validate", "-c", `${dir}/bad.conf`]);
  assertEquals(r.code, 2, r.stderr);
  assertStringIncludes(r.stderr, `bad.conf:${line}:`);
  assertStringIncludes(r.stderr, 'did you mean "log_group_name"?');
});

Deno.test("option mixes Fluent Bit refuses are refused at their key: both stream keys, a small s3 part", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_aws_mix_" });
  await Deno.writeTextFile(
    `${dir}/bad.yaml`,
    `pipeline:
  inputs:
    - name: dummy
  outputs:
    - name: cloudwatch_logs
      match: "*"
      region: us-east-1
      log_group_name: g
      log_stream_name: a
      log_stream_prefix: b
    - name: s3
      match: "*"
      bucket: b
      upload_chunk_size: 1M
      store_dir: ${dir}/s3
`,
  );
  const r = await runSluice(["validate", "-c", `${dir}/bad.yaml`], {
    env: { AWS_EC2_METADATA_DISABLED: "true" },
  });
  assertEquals(r.code, 2, r.stderr);
  assertStringIncludes(r.stderr, 'bad.yaml:10:7: key "log_stream_prefix"');
  assertStringIncludes(r.stderr, "pick one");
  assertStringIncludes(r.stderr, 'bad.yaml:14:7: key "upload_chunk_size"');
  assertStringIncludes(r.stderr, "at least 5,242,880 bytes");
});
