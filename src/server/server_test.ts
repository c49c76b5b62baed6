import { assert, assertEquals, assertRejects, assertStringIncludes } from "../testing/assert.ts";
import { Logger, memorySink } from "../engine/log.ts";
import { MetricsRegistry } from "../engine/metrics.ts";
import { startHarness, T0 } from "./_testing.ts";
import { startMonitoringServer } from "./server.ts";

Deno.test("GET / returns Fluent Bit's build info shape with a sluice key", async () => {
  const h = await startHarness({ version: "9.8.7" });
  try {
    const res = await h.get("/");
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-type"), "application/json");
    const body = await res.json();
    assertEquals(Object.keys(body), ["fluent-bit", "sluice"]);
    assertEquals(Object.keys(body["fluent-bit"]), ["version", "edition", "flags"]);
    assertEquals(body["fluent-bit"].edition, "Community");
    assert(body["fluent-bit"].flags.includes("FLB_HAVE_METRICS"));
    assert(body["fluent-bit"].flags.every((f: string) => f.startsWith("FLB_")));
    assertEquals(body.sluice, { version: "9.8.7" });
  } finally {
    await h.close();
  }
});

Deno.test("GET /api/v1/uptime reports whole seconds and Fluent Bit's sentence", async () => {
  const h = await startHarness();
  try {
    h.clock.ms = T0 + 65_400;
    const res = await h.get("/api/v1/uptime");
    assertEquals(res.status, 200);
    assertEquals(
      await res.text(),
      JSON.stringify({
        uptime_sec: 65,
        uptime_hr: "Fluent Bit has been running:  0 day, 0 hour, 1 minute and 5 seconds",
      }),
    );
  } finally {
    await h.close();
  }
});

Deno.test("GET /api/v1/storage answers 404 JSON when storage metrics are off", async () => {
  const h = await startHarness();
  try {
    const res = await h.get("/api/v1/storage");
    assertEquals(res.status, 404);
    assertEquals(res.headers.get("content-type"), "application/json");
    assertStringIncludes((await res.json()).message, "storage.metrics");
  } finally {
    await h.close();
  }
});

Deno.test("GET /api/v1/storage returns the engine's storage body when given", async () => {
  const body = {
    storage_layer: {
      chunks: { total_chunks: 2, mem_chunks: 1, fs_chunks: 1, fs_chunks_up: 1, fs_chunks_down: 0 },
    },
    input_chunks: {},
  };
  const h = await startHarness({ storage: () => body });
  try {
    const res = await h.get("/api/v1/storage");
    assertEquals(res.status, 200);
    assertEquals(await res.json(), body);
  } finally {
    await h.close();
  }
});

Deno.test("an unknown path answers 404 and a non-GET method answers 405", async () => {
  const h = await startHarness();
  try {
    const missing = await h.get("/api/v1/nope");
    assertEquals(missing.status, 404);
    assertStringIncludes((await missing.json()).message, '"/api/v1/nope"');
    const post = await h.get("/api/v1/metrics", { method: "POST", body: "{}" });
    assertEquals(post.status, 405);
    assertEquals(post.headers.get("allow"), "GET, HEAD");
    await post.body?.cancel();
    const slash = await h.get("/api/v1/uptime/");
    assertEquals(slash.status, 200, "a trailing slash is tolerated");
    await slash.body?.cancel();
    const head = await h.get("/api/v1/metrics", { method: "HEAD" });
    assertEquals(head.status, 200);
    assertEquals(await head.text(), "");
  } finally {
    await h.close();
  }
});

Deno.test("the server logs Fluent Bit's listen line and close() twice is safe", async () => {
  const h = await startHarness();
  await h.close();
  await h.close();
  assertEquals(h.lines.length, 1);
  assertStringIncludes(
    h.lines[0]!,
    `[http_server] listen iface=127.0.0.1 tcp_port=${h.server.port}`,
  );
  await assertRejects(() => h.get("/"));
});

Deno.test("startMonitoringServer() rejects naming listen:port when the port is taken", async () => {
  const h = await startHarness();
  try {
    const err = await assertRejects(() =>
      startMonitoringServer({
        metrics: new MetricsRegistry(),
        startedAt: new Date(),
        version: "0.1.0",
        hostname: "h",
        instances: { inputs: [], filters: [], outputs: [] },
      }, {
        listen: "127.0.0.1",
        port: h.server.port,
        healthCheck: true,
        hcErrorsCount: 5,
        hcRetryFailureCount: 5,
        hcPeriod: 60,
        log: new Logger({ sink: memorySink() }),
      })
    );
    assertStringIncludes(String(err), `"127.0.0.1:${h.server.port}"`);
  } finally {
    await h.close();
  }
});
