import { assert, assertEquals } from "../testing/assert.ts";
import { MetricsRegistry } from "../engine/metrics.ts";
import { healthReport, HealthWindow, MAX_SNAPSHOTS, outputCounts } from "./health.ts";
import { startHarness, T0 } from "./_testing.ts";

const c = (errors: number, retriesFailed = 0) => ({ errors, retriesFailed });

Deno.test("HealthWindow.counts() counts errors made within the period", () => {
  const w = new HealthWindow(60);
  w.observe(0, c(0));
  assertEquals(w.counts(1_000, c(3)), c(3));
  assertEquals(w.counts(30_000, c(7, 2)), c(7, 2));
  assertEquals(w.counts(60_000, c(7, 2)), c(7, 2));
});

Deno.test("HealthWindow.counts() forgets errors once they are older than the period", () => {
  const w = new HealthWindow(10);
  w.observe(0, c(0));
  w.observe(1_000, c(4, 1)); // 4 errors, 1 retry failure made in the first second
  for (let t = 2_000; t <= 10_000; t += 1_000) w.observe(t, c(4, 1));
  assertEquals(w.counts(10_500, c(4, 1)), c(4, 1));
  assertEquals(w.counts(11_000, c(4, 1)), c(0, 0));
  assertEquals(w.counts(12_000, c(6, 1)), c(2, 0));
});

Deno.test("HealthWindow keeps a bounded number of snapshots", () => {
  const w = new HealthWindow(60);
  for (let t = 0; t < 10_000_000; t += 250) w.observe(t, c(t));
  assert(w.size <= 62, `size ${w.size}`);
  const long = new HealthWindow(86_400);
  assertEquals(long.stepMs, Math.ceil(86_400_000 / MAX_SNAPSHOTS));
  for (let t = 0; t < 3 * 86_400_000; t += 1_000) long.observe(t, c(0));
  assert(long.size <= MAX_SNAPSHOTS + 2, `size ${long.size}`);
});

Deno.test("HealthWindow.counts() never goes negative when counters restart", () => {
  const w = new HealthWindow(60);
  w.observe(0, c(10, 10));
  assertEquals(w.counts(1_000, c(2, 0)), c(0, 0));
});

Deno.test("healthReport() is unhealthy only strictly above a limit", () => {
  const limits = { errorLimit: 5, retryFailureLimit: 2, periodSeconds: 60 };
  assertEquals(healthReport(c(5, 2), limits), {
    status: "ok",
    errors: 5,
    retries_failed: 2,
    error_limit: 5,
    retry_failure_limit: 2,
    period_limit: 60,
  });
  assertEquals(healthReport(c(6, 0), limits).status, "error");
  assertEquals(healthReport(c(0, 3), limits).status, "error");
});

Deno.test("outputCounts() sums errors and retry failures over every output", () => {
  const m = new MetricsRegistry();
  m.counter("fluentbit_output_errors_total", "e").inc({ name: "a.0" }, 2);
  m.counter("fluentbit_output_errors_total", "e").inc({ name: "b.0" }, 3);
  m.counter("fluentbit_output_retries_failed_total", "f").inc({ name: "b.0" }, 1);
  m.counter("fluentbit_input_records_total", "r").inc({ name: "x.0" }, 100);
  assertEquals(outputCounts(m), c(5, 1));
  assertEquals(outputCounts(new MetricsRegistry()), c(0, 0));
});

Deno.test("GET /api/v1/health flips to error on errors and back once they leave hc_period", async () => {
  const metrics = new MetricsRegistry();
  const errors = metrics.counter("fluentbit_output_errors_total", "Output errors.");
  const h = await startHarness({ metrics }, { hcErrorsCount: 2, hcPeriod: 10 });
  const health = async () => {
    const res = await h.get("/api/v1/health");
    return [res.status, await res.text()];
  };
  try {
    assertEquals(await health(), [200, "ok\n"]);
    errors.inc({ name: "http.0" }, 2);
    h.clock.ms = T0 + 1_000;
    assertEquals(await health(), [200, "ok\n"], "2 errors is not above the limit of 2");
    errors.inc({ name: "http.1" }, 1);
    h.clock.ms = T0 + 2_000;
    assertEquals(await health(), [500, "error\n"]);
    h.clock.ms = T0 + 9_000;
    assertEquals(await health(), [500, "error\n"]);
    h.clock.ms = T0 + 12_500;
    assertEquals(await health(), [200, "ok\n"]);
  } finally {
    await h.close();
  }
});

Deno.test("GET /api/v2/health reports counts and limits, 500 on retry failures", async () => {
  const metrics = new MetricsRegistry();
  const failed = metrics.counter("fluentbit_output_retries_failed_total", "Retries failed.");
  const h = await startHarness({ metrics }, {
    hcErrorsCount: 5,
    hcRetryFailureCount: 1,
    hcPeriod: 30,
  });
  try {
    let res = await h.get("/api/v2/health");
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-type"), "application/json");
    assertEquals(
      await res.text(),
      JSON.stringify({
        status: "ok",
        errors: 0,
        retries_failed: 0,
        error_limit: 5,
        retry_failure_limit: 1,
        period_limit: 30,
      }),
    );
    failed.inc({ name: "es.0" }, 2);
    h.clock.ms = T0 + 1_000;
    res = await h.get("/api/v2/health");
    assertEquals(res.status, 500);
    const body = await res.json();
    assertEquals([body.status, body.errors, body.retries_failed], ["error", 0, 2]);
  } finally {
    await h.close();
  }
});

Deno.test("without health_check, /api/v1/health is 404 and /api/v2/health says ok", async () => {
  const metrics = new MetricsRegistry();
  metrics.counter("fluentbit_output_errors_total", "e").inc({ name: "http.0" }, 100);
  const h = await startHarness({ metrics }, { healthCheck: false });
  try {
    const v1 = await h.get("/api/v1/health");
    assertEquals(v1.status, 404);
    await v1.body?.cancel();
    const v2 = await h.get("/api/v2/health");
    assertEquals(v2.status, 200);
    assertEquals((await v2.json()).status, "ok");
  } finally {
    await h.close();
  }
});
