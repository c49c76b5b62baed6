/**
 * `sluice tap` against a running instance through its monitoring server, as an operator runs
 * it: the records after an input, a filter, or where an output takes them, as JSON lines.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { freePort, runSluice, spawnSluice, tempDirWith, waitFor } from "./_helpers.ts";

async function running(port: number) {
  const dir = await tempDirWith({
    "fb.yaml": `service:
  flush: 0.1
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${port}
pipeline:
  inputs:
    - name: dummy
      tag: app.web
      rate: 50
      dummy: '{"level": "info", "msg": "hi"}'
  filters:
    - name: modify
      match: "*"
      add: seen yes
  outputs:
    - name: "null"
      match: "*"
`,
  });
  const child = spawnSluice(["-c", `${dir}/fb.yaml`]);
  child.stdout.cancel();
  new Response(child.stderr).text(); // drained, not read
  await waitFor(() => fetch(`http://127.0.0.1:${port}/api/v1/uptime`).then((r) => r.json()));
  return { dir, child };
}

Deno.test("sluice tap prints the records after a filter, at an input and at an output", async () => {
  const port = freePort();
  const { dir, child } = await running(port);
  const host = `127.0.0.1:${port}`;
  const tap = async (args: string[]) => {
    const r = await runSluice(["tap", "-H", host, "--limit", "3", ...args], { timeoutMs: 20_000 });
    assertEquals(r.code, 0, r.stderr);
    return r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  };
  const filtered = await tap(["modify.*", "--point", "filter"]);
  assertEquals(filtered.length, 3);
  for (const l of filtered) {
    assertEquals([l.point, l.name, l.tag], ["filter", "modify.0", "app.web"]);
    assertEquals(l.record, { level: "info", msg: "hi", seen: "yes" });
    assert(typeof l.time === "number");
  }
  const input = await tap(["--point", "input"]);
  assertEquals(input[0].record, { level: "info", msg: "hi" }, "before the filter");
  const output = await tap(["null.0", "--point", "output", "--tag", "app.*"]);
  assertEquals([output[0].point, output[0].record.seen], ["output", "yes"]);
  const none = await runSluice([
    "tap",
    "-H",
    host,
    "--point",
    "input",
    "--tag",
    "other.*",
    "--limit",
    "1",
  ], {
    timeoutMs: 1500,
  });
  assert(none.stdout === "", "no record has that tag");
  const bad = await runSluice(["tap", "-H", host, "--point", "middle"]);
  assertEquals(bad.code, 1);
  assertStringIncludes(bad.stderr, 'point \\"middle\\": expected input, filter or output');
  child.kill("SIGTERM");
  await child.status;
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sluice tap exits 1 with one line when the instance is absent or goes away", async () => {
  const absent = await runSluice(["tap", "-H", `127.0.0.1:${freePort()}`]);
  assertEquals(absent.code, 1);
  assertStringIncludes(absent.stderr, "sluice: cannot reach the monitoring server at");
  assert(!absent.stderr.includes("    at "), "no stack");

  const port = freePort();
  const { dir, child } = await running(port);
  const tap = spawnSluice(["tap", "-H", `127.0.0.1:${port}`, "--rate", "5"]);
  const err = new Response(tap.stderr).text();
  // The instance goes away only once the tap is attached: its first record printed (a
  // fixed sleep lost that race on a loaded machine).
  const reader = tap.stdout.getReader();
  const guard = setTimeout(() => tap.kill("SIGKILL"), 30_000);
  let text = "";
  const decoder = new TextDecoder();
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  const out = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += decoder.decode(value, { stream: true });
    }
  })();
  clearTimeout(guard);
  child.kill("SIGTERM");
  await child.status;
  const status = await tap.status;
  assertEquals(status.code, 1);
  const lines = (await out).trim().split("\n");
  assert(lines.length >= 1 && lines.length <= 15, `${lines.length} lines at --rate 5`);
  assertStringIncludes(await err, "ended the tap");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("with http_server.token set, sluice tap needs --token", async () => {
  const port = freePort();
  const dir = await tempDirWith({
    "fb.yaml": `service:
  http_server: on
  http_port: ${port}
  http_server.token: s3cret
pipeline:
  inputs:
    - name: dummy
      rate: 20
  outputs:
    - name: "null"
      match: "*"
`,
  });
  const child = spawnSluice(["-c", `${dir}/fb.yaml`]);
  child.stdout.cancel();
  new Response(child.stderr).text();
  await waitFor(() => fetch(`http://127.0.0.1:${port}/api/v1/uptime`).then((r) => r.json()));
  const denied = await runSluice(["tap", "-H", `127.0.0.1:${port}`, "--limit", "1"]);
  assertEquals(denied.code, 1);
  assertStringIncludes(denied.stderr, "answered 401");
  const ok = await runSluice([
    "tap",
    "-H",
    `127.0.0.1:${port}`,
    "--limit",
    "1",
    "--token",
    "s3cret",
  ]);
  assertEquals(ok.code, 0, ok.stderr);
  assertEquals(JSON.parse(ok.stdout).record, { message: "dummy" });
  child.kill("SIGTERM");
  await child.status;
  await Deno.remove(dir, { recursive: true });
});
