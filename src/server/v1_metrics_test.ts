import { assertEquals } from "../testing/assert.ts";
import { MetricsRegistry } from "../engine/metrics.ts";
import { v1Metrics, v1Prometheus } from "./v1_metrics.ts";

Deno.test("v1Metrics() sums an instance's series that carry extra labels", () => {
  const m = new MetricsRegistry();
  const records = m.counter("fluentbit_output_proc_records_total", "p");
  records.inc({ name: "http.0", host: "a" }, 2);
  records.inc({ name: "http.0", host: "b" }, 3);
  records.inc({ host: "c" }, 100); // no name label: belongs to no instance
  const body = v1Metrics(m, { inputs: [], filters: [], outputs: ["http.0"] });
  assertEquals(body.output["http.0"]!.proc_records, 5);
});

Deno.test("v1Prometheus() escapes label values and handles no instances", () => {
  const body = v1Metrics(new MetricsRegistry(), { inputs: ['we"ird'], filters: [], outputs: [] });
  const text = v1Prometheus(body, { nowMs: 7, startedAt: new Date(3_000) });
  assertEquals(text.split("\n").filter((l) => l.startsWith("fluentbit_")), [
    'fluentbit_input_bytes_total{name="we\\"ird"} 0 7',
    'fluentbit_input_records_total{name="we\\"ird"} 0 7',
  ]);
  const empty = v1Prometheus(
    v1Metrics(new MetricsRegistry(), {
      inputs: [],
      filters: [],
      outputs: [],
    }),
    { nowMs: 7, startedAt: new Date(3_000) },
  );
  assertEquals(empty.split("\n"), [
    "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.",
    "# TYPE process_start_time_seconds gauge",
    "process_start_time_seconds 3",
    "",
  ]);
});
