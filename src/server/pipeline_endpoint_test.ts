import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { startHarness, T0 } from "./_testing.ts";
import { RecentLog } from "./recent_log.ts";
import { Logger, memorySink } from "../engine/log.ts";

Deno.test("GET /api/v2/pipeline reports counters, buffers, tail files with lag and errors", async () => {
  const recent = new RecentLog(5, () => T0);
  const h = await startHarness({
    configPath: "/etc/sluice/pipeline.yaml",
    topology: {
      inputs: [{ name: "tail.0", plugin: "tail", kind: "input", tag: "app.*", processors: [] }],
      filters: [],
      outputs: [{ name: "http.0", plugin: "http", kind: "output", tag: "*", processors: [] }],
      edges: [{ from: "tail.0", to: "http.0" }],
    },
    buffers: () => [
      { name: "tail.0", type: "memory", chunks: 2, bytes: 300, limit: 1000, paused: true },
    ],
    inputReports: () =>
      new Map([["tail.0", {
        files: [{ path: "/var/log/a.log", read: 100, committed: 80, size: 250, state: "active" }],
      }]]),
    recent,
  });
  try {
    h.state.metrics.counter("fluentbit_input_records_total", "").inc({ name: "tail.0" }, 12);
    h.state.metrics.counter("fluentbit_output_retries_total", "").inc({ name: "http.0" }, 3);
    new Logger({ sink: recent.tee(memorySink()) }).child("output:http:http.0").error("refused");
    h.clock.ms = T0 + 42_000;
    const res = await h.get("/api/v2/pipeline");
    assertEquals(res.status, 200);
    const body = await res.json();
    assertEquals(body.config, "/etc/sluice/pipeline.yaml");
    assertEquals(body.uptime_sec, 42);
    assertEquals(body.health.status, "ok");
    assertEquals(body.inputs[0].records, 12);
    assertEquals(body.inputs[0].paused, true);
    assertEquals(body.inputs[0].buffer, { chunks: 2, bytes: 300, limit: 1000, type: "memory" });
    assertEquals(body.inputs[0].files[0].lag, 150);
    assertEquals(body.outputs[0].retries, 3);
    assertEquals(body.edges, [{ from: "tail.0", to: "http.0" }]);
    assertEquals(body.errors.map((e: { message: string }) => e.message), ["refused"]);
  } finally {
    await h.close();
  }
});

Deno.test("GET / serves the status page to a browser and Fluent Bit's JSON otherwise", async () => {
  const h = await startHarness();
  try {
    const page = await h.get("/", { headers: { accept: "text/html,*/*;q=0.8" } });
    assertEquals(page.headers.get("content-type"), "text/html; charset=utf-8");
    const html = await page.text();
    assertStringIncludes(html, '<svg id="graph"');
    // Self-contained: nothing loaded from elsewhere.
    assert(!/\b(src|href)=/.test(html), "the page must not load external assets");
    const json = await h.get("/");
    assertEquals(json.headers.get("content-type"), "application/json");
    assert("fluent-bit" in await json.json());
  } finally {
    await h.close();
  }
});

Deno.test("with http_server.token, POST /api/v2/reload needs the bearer token", async () => {
  const h = await startHarness({}, { token: "s3cret" });
  try {
    const none = await h.get("/api/v2/reload", { method: "POST" });
    assertEquals(none.status, 401);
    assertEquals(none.headers.get("www-authenticate"), 'Bearer realm="sluice"');
    assertStringIncludes((await none.json()).message, "Authorization: Bearer");
    const wrong = await h.get("/api/v2/reload", {
      method: "POST",
      headers: { authorization: "Bearer nope" },
    });
    assertEquals(wrong.status, 401);
    await wrong.body?.cancel();
    const right = await h.get("/api/v2/reload", {
      method: "POST",
      headers: { authorization: "Bearer s3cret" },
    });
    assertEquals([right.status, await right.json()], [200, { reload: "not enabled", status: -1 }]);
    // Reading needs no token.
    const read = await h.get("/api/v2/reload");
    assertEquals(read.status, 200);
    await read.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("GET /api/v2/pipeline lists each sampling processor's decisions", async () => {
  const h = await startHarness();
  try {
    const m = h.state.metrics;
    const labels = { name: "sampling.0" };
    m.counter("sluice_sampling_traces_kept_total", "").inc(labels, 4);
    m.counter("sluice_sampling_traces_dropped_total", "").inc(labels, 6);
    m.gauge("sluice_sampling_traces_pending", "").set(labels, 2);
    m.counter("sluice_sampling_late_spans_total", "").inc({ ...labels, decision: "keep" }, 1);
    m.counter("sluice_sampling_late_spans_total", "").inc({ ...labels, decision: "drop" }, 2);
    const body = await (await h.get("/api/v2/pipeline")).json();
    assertEquals(body.sampling, [{
      name: "sampling.0",
      pending: 2,
      kept: 4,
      dropped: 6,
      late_spans: 3,
      spans_in: 0,
      spans_out: 0,
    }]);
  } finally {
    await h.close();
  }
});
