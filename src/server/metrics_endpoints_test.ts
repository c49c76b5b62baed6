import { assert, assertEquals, assertMatch, assertStringIncludes } from "../testing/assert.ts";
import { MetricsRegistry } from "../engine/metrics.ts";
import { startHarness, T0 } from "./_testing.ts";

Deno.test("GET /api/v1/metrics lists every instance, at 0 before anything happens", async () => {
  const h = await startHarness({
    instances: { inputs: ["tail.0", "dummy.1"], filters: [], outputs: ["null.0"] },
  });
  try {
    const res = await h.get("/api/v1/metrics");
    assertEquals(res.status, 200);
    assertEquals(await res.json(), {
      input: { "tail.0": { records: 0, bytes: 0 }, "dummy.1": { records: 0, bytes: 0 } },
      filter: {},
      output: {
        "null.0": {
          proc_records: 0,
          proc_bytes: 0,
          errors: 0,
          retries: 0,
          retries_failed: 0,
          dropped_records: 0,
          retried_records: 0,
        },
      },
    });
  } finally {
    await h.close();
  }
});

Deno.test("GET /api/v1/metrics reads the Fluent Bit-named families by label name", async () => {
  const metrics = new MetricsRegistry();
  metrics.counter("fluentbit_input_records_total", "r").inc({ name: "dummy.0" }, 10);
  metrics.counter("fluentbit_input_bytes_total", "b").inc({ name: "dummy.0" }, 420);
  metrics.counter("fluentbit_filter_drop_records_total", "d").inc({ name: "grep.0" }, 3);
  metrics.counter("fluentbit_filter_added_records_total", "a").inc({ name: "grep.0" }, 1);
  metrics.counter("fluentbit_output_proc_records_total", "p").inc({ name: "stdout.0" }, 7);
  metrics.counter("fluentbit_output_proc_bytes_total", "p").inc({ name: "stdout.0" }, 300);
  metrics.counter("fluentbit_output_errors_total", "e").inc({ name: "stdout.0" }, 2);
  metrics.counter("fluentbit_output_retries_total", "r").inc({ name: "stdout.0" }, 4);
  metrics.counter("fluentbit_output_retries_failed_total", "f").inc({ name: "stdout.0" }, 1);
  metrics.counter("fluentbit_output_dropped_records_total", "d").inc({ name: "stdout.0" }, 5);
  metrics.counter("fluentbit_output_retried_records_total", "r").inc({ name: "stdout.0" }, 6);
  // A series of another instance must not leak into ours.
  metrics.counter("fluentbit_input_records_total", "r").inc({ name: "other.0" }, 99);
  const h = await startHarness({ metrics });
  try {
    const body = await (await h.get("/api/v1/metrics")).json();
    assertEquals(body.input, { "dummy.0": { records: 10, bytes: 420 } });
    assertEquals(body.filter, { "grep.0": { drop_records: 3, add_records: 1 } });
    assertEquals(body.output, {
      "stdout.0": {
        proc_records: 7,
        proc_bytes: 300,
        errors: 2,
        retries: 4,
        retries_failed: 1,
        dropped_records: 5,
        retried_records: 6,
      },
    });
  } finally {
    await h.close();
  }
});

Deno.test("GET /api/v1/metrics/prometheus writes Fluent Bit's v1 text with timestamps", async () => {
  const metrics = new MetricsRegistry();
  metrics.counter("fluentbit_input_records_total", "r").inc({ name: "dummy.0" }, 10);
  metrics.counter("fluentbit_output_retries_failed_total", "f").inc({ name: "stdout.0" }, 2);
  const h = await startHarness({
    metrics,
    instances: { inputs: ["dummy.0"], filters: ["grep.0"], outputs: ["stdout.0"] },
  });
  try {
    h.clock.ms = T0 + 5_000;
    const res = await h.get("/api/v1/metrics/prometheus");
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-type"), "text/plain; version=0.0.4");
    const ts = T0 + 5_000;
    const fam = (name: string, help: string, labelName: string, v: number) => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} counter`,
      `${name}{name="${labelName}"} ${v} ${ts}`,
    ];
    const expected = [
      ...fam("fluentbit_filter_add_records_total", "Fluentbit metrics.", "grep.0", 0),
      ...fam("fluentbit_filter_drop_records_total", "Fluentbit metrics.", "grep.0", 0),
      ...fam("fluentbit_input_bytes_total", "Number of input bytes.", "dummy.0", 0),
      ...fam("fluentbit_input_records_total", "Number of input records.", "dummy.0", 10),
      ...fam("fluentbit_output_dropped_records_total", "Fluentbit metrics.", "stdout.0", 0),
      ...fam("fluentbit_output_errors_total", "Number of output errors.", "stdout.0", 0),
      ...fam(
        "fluentbit_output_proc_bytes_total",
        "Number of processed output bytes.",
        "stdout.0",
        0,
      ),
      ...fam(
        "fluentbit_output_proc_records_total",
        "Number of processed output records.",
        "stdout.0",
        0,
      ),
      ...fam(
        "fluentbit_output_retried_records_total",
        "Fluentbit metrics.",
        "stdout.0",
        0,
      ),
      ...fam(
        "fluentbit_output_retries_failed_total",
        "Number of output retries failed.",
        "stdout.0",
        2,
      ),
      ...fam("fluentbit_output_retries_total", "Number of output retries.", "stdout.0", 0),
      "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.",
      "# TYPE process_start_time_seconds gauge",
      `process_start_time_seconds ${T0 / 1000}`,
    ];
    assertEquals((await res.text()).split("\n"), [...expected, ""]);
  } finally {
    await h.close();
  }
});

Deno.test("GET /api/v2/metrics/prometheus adds process metrics to the whole registry", async () => {
  const metrics = new MetricsRegistry();
  metrics.counter("fluentbit_input_records_total", "Number of input records.")
    .inc({ name: "dummy.0" }, 3);
  metrics.gauge("fluentbit_input_ingestion_paused", "Is the input paused or not?")
    .set({ name: "dummy.0" }, 0);
  const h = await startHarness({ metrics, hostname: "box", reloadCount: () => 2 });
  try {
    h.clock.ms = T0 + 42_000;
    const res = await h.get("/api/v2/metrics/prometheus");
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-type"), "text/plain; version=0.0.4");
    const text = await res.text();
    const lines = text.split("\n");
    const start = T0 / 1000;
    for (
      const line of [
        "# TYPE fluentbit_uptime counter",
        'fluentbit_uptime{hostname="box"} 42',
        "# TYPE fluentbit_process_start_time_seconds gauge",
        `fluentbit_process_start_time_seconds{hostname="box"} ${start}`,
        "# HELP fluentbit_build_info Build version information.",
        "# TYPE fluentbit_build_info gauge",
        'fluentbit_hot_reloaded_times{hostname="box"} 2',
        "# HELP fluentbit_input_records_total Number of input records.",
        'fluentbit_input_records_total{name="dummy.0"} 3',
        'fluentbit_input_ingestion_paused{name="dummy.0"} 0',
      ]
    ) assert(lines.includes(line), `missing line ${line}\n${text}`);
    assertMatch(
      text,
      new RegExp(
        `^fluentbit_build_info\\{hostname="box",version="0\\.1\\.0",os="[a-z0-9]+"\\} ${start}$`,
        "m",
      ),
    );
    assert(text.endsWith("\n") && !text.endsWith("\n\n"), "ends with one newline");
    assertEquals(text.split("# TYPE fluentbit_uptime ").length, 2, "uptime family once");
  } finally {
    await h.close();
  }
});

Deno.test("GET /api/v2/metrics/prometheus leaves a process family to the registry if it has one", async () => {
  const metrics = new MetricsRegistry();
  metrics.counter("fluentbit_hot_reloaded_times", "Reloads.").inc({ hostname: "box" }, 5);
  const h = await startHarness({ metrics, hostname: "box" });
  try {
    const text = await (await h.get("/api/v2/metrics/prometheus")).text();
    assertEquals(text.split("# TYPE fluentbit_hot_reloaded_times").length, 2);
    assertStringIncludes(text, 'fluentbit_hot_reloaded_times{hostname="box"} 5\n');
  } finally {
    await h.close();
  }
});

Deno.test("GET /api/v2/metrics writes cmetrics text, one sample a line", async () => {
  const metrics = new MetricsRegistry();
  metrics.counter("fluentbit_output_errors_total", "e").inc({ name: "http.0" }, 4);
  const h = await startHarness({ metrics, hostname: "box" });
  try {
    h.clock.ms = T0 + 1_234;
    const res = await h.get("/api/v2/metrics");
    assertEquals(res.status, 200);
    const lines = (await res.text()).trimEnd().split("\n");
    const ts = "2023-11-14T22:13:21.234000000Z";
    assertEquals(lines[0], `${ts} fluentbit_uptime{hostname="box"} = 1`);
    assertEquals(lines[lines.length - 1], `${ts} fluentbit_output_errors_total{name="http.0"} = 4`);
  } finally {
    await h.close();
  }
});
