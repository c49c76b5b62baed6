/**
 * The CLI under conditions a user meets on a real host: a dry run on a config whose folders
 * and ports are not there, a log reader that goes away, an input that never lets up.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { freePort, runSluice, spawnSluice, waitFor } from "./_helpers.ts";

Deno.test("a dry run creates, opens for writing and binds nothing, and reports every problem", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_dry_" });
  const config = `${dir}/fluent-bit.yaml`;
  await Deno.writeTextFile(
    config,
    `service:
  log_file: ${dir}/sluice.log
  storage.path: ${dir}/storage
  storage.keep.rejected: on
pipeline:
  inputs:
    - name: tail
      path: ${dir}/app.log
      db: ${dir}/hostpath/not/here/tail.db
      storage.type: filesystem
    - name: syslog
      mode: unix_udp
      path: ${dir}/syslog.sock
    - name: tcp
      listen: 127.0.0.1
      port: ${freePort()}
  outputs:
    - name: file
      match: '*'
      path: ${dir}/out
`,
  );
  for (const flags of [["validate", "-c", config], ["-c", config, "--dry-run"]]) {
    const r = await runSluice(flags);
    assertEquals(r.code, 0, r.stderr);
    assertStringIncludes(r.stdout, "configuration test is successful");
    const left = [];
    for await (const e of Deno.readDir(dir)) left.push(e.name);
    assertEquals(left, ["fluent-bit.yaml"], `${flags.join(" ")} created files`);
  }
  await Deno.writeTextFile(
    config,
    "pipeline:\n  inputs:\n    - name: tail\n      path: ${NOT_SET_HERE}\n      db: /x/y.db\n" +
      "      ratee: 1\n  outputs:\n    - name: stdout\n      formatt: json\n",
  );
  const bad = await runSluice(["--dry-run", "-c", config]);
  assertEquals(bad.code, 2);
  assertEquals(bad.stderr.trim().split("\n").slice(-4), [
    `${config}:4:7: key "path": variable "NOT_SET_HERE" is not set (set it in env or the environment, or write \${NOT_SET_HERE:-default})`,
    `${config}:6:7: key "ratee": unknown key for input "tail"`,
    `${config}:9:7: key "formatt": unknown key for output "stdout" (did you mean "format"?)`,
    "sluice: configuration has 3 problems",
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sluice keeps running when the reader of its log goes away (a closed stderr pipe)", async () => {
  const port = freePort();
  const child = spawnSluice([
    "-i",
    "dummy",
    "-o",
    "null",
    "-H",
    "-P",
    String(port),
    "-v",
    "-f",
    "0.1",
  ]);
  child.stdout.cancel();
  const reader = child.stderr.getReader();
  await reader.read();
  await reader.cancel(); // like `sluice ... 2>&1 | head -1`
  await new Promise((r) => setTimeout(r, 1000)); // it logs at debug level meanwhile
  const up = await waitFor(() =>
    fetch(`http://127.0.0.1:${port}/api/v1/uptime`).then((r) => r.json())
  );
  assert(typeof up.uptime_sec === "number");
  child.kill("SIGTERM");
  assertEquals((await child.status).code, 0);
});

Deno.test("an input that always has records ready does not starve timers, sockets or SIGTERM", async () => {
  const port = freePort();
  // dummy far behind its rate: a full chunk is always due.
  const child = spawnSluice([
    "-i",
    "dummy",
    "-p",
    "rate=5000000",
    "-p",
    "copies=5000",
    "-o",
    "null",
    "-H",
    "-P",
    String(port),
    "-q",
  ]);
  child.stdout.cancel();
  const up = await waitFor(() =>
    fetch(`http://127.0.0.1:${port}/api/v1/uptime`).then((r) => r.json())
  );
  assert(typeof up.uptime_sec === "number");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  const status = await child.status;
  clearTimeout(timer);
  await child.stderr.cancel();
  assertEquals([status.code, status.signal], [0, null], "stopped by SIGTERM, not killed");
});
