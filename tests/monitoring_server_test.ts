/**
 * The monitoring server as a user runs it: it binds 127.0.0.1 unless `http_listen` says
 * otherwise, and `http_server.token` makes POST /api/v2/reload ask for the bearer token.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../src/testing/assert.ts";
import { freePort, runSluice, spawnSluice, tempDirWith, waitFor } from "./_helpers.ts";

/** An IPv4 address of this host that is not loopback, if it has one. */
function outsideAddress(): string | undefined {
  return Deno.networkInterfaces().find((i) => i.family === "IPv4" && !i.address.startsWith("127."))
    ?.address;
}

async function withInstance(
  service: string,
  fn: (port: number) => Promise<void>,
): Promise<void> {
  const port = freePort();
  const dir = await tempDirWith({
    "sluice.yaml": `service:
  http_server: on
  http_port: ${port}
${service}
pipeline:
  inputs:
    - name: dummy
      rate: 5
  outputs:
    - name: null
      match: "*"
`,
  });
  const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/v1/uptime`)).ok, {
      what: "the monitoring server",
      timeoutMs: 30_000,
    });
    await fn(port);
  } finally {
    child.kill("SIGTERM");
    await child.output();
    await Deno.remove(dir, { recursive: true });
  }
}

const outside = outsideAddress();

Deno.test({
  name: "the monitoring server listens on 127.0.0.1 only, unless http_listen says otherwise",
  ignore: !outside,
}, async () => {
  await withInstance("", async (port) => {
    await assertRejects(() => Deno.connect({ hostname: outside!, port }));
  });
  await withInstance("  http_listen: 0.0.0.0", async (port) => {
    const res = await fetch(`http://${outside}:${port}/api/v1/uptime`);
    assertEquals(res.status, 200);
    await res.body?.cancel();
  });
});

Deno.test("with http_server.token, POST /api/v2/reload answers 401 without the bearer token", async () => {
  await withInstance("  http_server.token: s3cret", async (port) => {
    const url = `http://127.0.0.1:${port}/api/v2/reload`;
    const denied = await fetch(url, { method: "POST" });
    assertEquals(denied.status, 401);
    assert((await denied.json()).message.includes("Bearer"));
    const allowed = await fetch(url, {
      method: "POST",
      headers: { authorization: "Bearer s3cret" },
    });
    assertEquals(allowed.status, 200);
    assertEquals(await allowed.json(), { reload: "not enabled", status: -1 });
    const read = await fetch(`http://127.0.0.1:${port}/api/v2/pipeline`);
    assertEquals(read.status, 200);
    await read.body?.cancel();
  });
});

Deno.test("sluice plugins service documents the monitoring server's keys; sluice plugins points to it", async () => {
  const list = await runSluice(["plugins"]);
  assertEquals(list.code, 0, list.stderr);
  assertStringIncludes(list.stdout, "sluice plugins service");
  const res = await runSluice(["plugins", "service"]);
  assertEquals(res.code, 0, res.stderr);
  assertStringIncludes(res.stdout, "127.0.0.1:2020");
  for (const key of ["http_server", "http_listen", "http_port", "http_server.token"]) {
    assertMatch(res.stdout, new RegExp(`^\\s*${key.replace(".", "\\.")}\\s`, "m"), key);
  }
  assertStringIncludes(res.stdout, "sluice tap");
});
