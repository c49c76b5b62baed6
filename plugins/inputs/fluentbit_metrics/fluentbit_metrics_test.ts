import type { MetricChunk } from "../../../src/event/chunk.ts";
import { dataPoints, prometheusType } from "../../../src/metrics/model.ts";
import type { NumberDataPoint } from "../../../src/otlp/metric_data.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { testInputContext } from "../../../src/testing/input_context.ts";
import { FluentbitMetricsInput } from "./fluentbit_metrics.ts";

Deno.test("fluentbit_metrics publishes the registry under Fluent Bit's names, scrapes counted", async () => {
  const ctx = testInputContext({ name: "fluentbit_metrics.0" });
  ctx.metrics.counter("fluentbit_input_records_total", "Number of input records.")
    .inc({ name: "dummy.0" }, 42);
  ctx.metrics.gauge("fluentbit_storage_chunks", "Chunks.").set({ name: "x" }, 3);
  const input = new FluentbitMetricsInput({ scrape_interval: 0.05, scrape_on_start: false }, ctx);
  try {
    const it = input.chunks[Symbol.asyncIterator]();
    await it.next();
    const c = (await it.next()).value as MetricChunk;
    const byName = new Map(c.records.map((m) => [m.name, m]));
    for (
      const n of [
        "fluentbit_uptime",
        "fluentbit_build_info",
        "fluentbit_process_start_time_seconds",
      ]
    ) {
      assertEquals(byName.has(n), true, n);
    }
    const records = byName.get("fluentbit_input_records_total")!;
    assertEquals(prometheusType(records), "counter");
    const p = dataPoints(records)[0] as NumberDataPoint;
    assertEquals([p.attributes, p.value], [{ name: "dummy.0" }, 42]);
    assertEquals(p.startTimeUnixNano > 0n, true, "counters start at the process start");
    assertEquals(prometheusType(byName.get("fluentbit_storage_chunks")!), "gauge");
    const scrapes = dataPoints(byName.get("fluentbit_input_metrics_scrapes_total")!)[0];
    assertEquals((scrapes as NumberDataPoint).value, 2);
  } finally {
    ctx.controller.abort();
  }
});
