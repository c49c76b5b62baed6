/**
 * At shutdown, the last line of every file that has no newline yet is sent, for
 * every tag: the engine keeps pulling a stopped input until it ends.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { spawnSluice, tempDirWith, waitFor } from "./_helpers.ts";

Deno.test("SIGTERM sends the held last line of every file, whatever its tag", async () => {
  const dir = await tempDirWith({
    "a.log": "a1\na2\nA-partial",
    "b.log": "b1\nB-partial",
    "c.log": "c1\nc2\nc3\nC-partial",
  });
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    `
service: { flush: 0.1, log_level: warn }
pipeline:
  inputs:
    - name: tail
      path: ${dir}/*.log
      tag: app.*
      read_from_head: true
      refresh_interval: 0.2
  outputs:
    - name: file
      match: "app.*"
      path: ${dir}/out
      file: all.log
      format: plain
`,
  );
  const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
  const out = `${dir}/out/all.log`;
  const lines = async () => (await Deno.readTextFile(out)).trim().split("\n");
  await waitFor(async () => (await lines()).length >= 6, { what: "the complete lines" });
  child.kill("SIGTERM");
  const status = await child.output();
  assertEquals(status.code, 0, new TextDecoder().decode(status.stderr));
  const logs = (await lines()).map((l) => JSON.parse(l).log).sort();
  assertEquals(logs, ["A-partial", "B-partial", "C-partial", "a1", "a2", "b1", "c1", "c2", "c3"]);
  await Deno.remove(dir, { recursive: true });
});
