import { Ack } from "../../../src/event/ack.ts";
import type { MetricChunk } from "../../../src/event/chunk.ts";
import type { MetricRecord } from "../../../src/event/metric.ts";
import { counterData, gaugeData, newMetric, numberPoint } from "../../../src/metrics/model.ts";
import { OptionError } from "../../../src/plugin.ts";
import { assertEquals, assertStringIncludes, assertThrows } from "../../../src/testing/assert.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { createPrometheusExporter } from "./prometheus_exporter.ts";

function chunk(records: MetricRecord[], input = "in.0"): MetricChunk {
  return { signal: "metrics", tag: "m", records, bytes: 1, ack: new Ack(), input };
}

const counter = (v: number, labels = { a: "1" }) =>
  newMetric("hits_total", counterData([numberPoint(labels, v, 0n)]), { description: "Hits." });

function options(extra: Partial<Parameters<typeof createPrometheusExporter>[0]> = {}) {
  return { host: "127.0.0.1", port: 0, add_label: [], add_timestamp: false, ...extra };
}

Deno.test("prometheus_exporter: 404 before metrics, then the latest value of every series", async () => {
  const ctx = testFilterContext();
  const out = createPrometheusExporter(options({ add_label: ["app  web"] }), ctx);
  const url = `http://127.0.0.1:${out.port}`;
  try {
    const before = await fetch(`${url}/metrics`);
    await before.body?.cancel();
    assertEquals(before.status, 404);
    assertEquals(await (await fetch(`${url}/`)).text(), "Fluent Bit Prometheus Exporter\n");
    await out.write(chunk([counter(5)]));
    // A second chunk (a scrape split in two) adds its series beside the first's.
    await out.write(chunk([counter(2, { a: "2" })]));
    await out.write(chunk([newMetric("g", gaugeData([numberPoint({}, 1.5, 0n)]))], "other.0"));
    await out.write(chunk([counter(7)]));
    const res = await fetch(`${url}/metrics`);
    assertEquals(res.headers.get("content-type"), "text/plain; version=0.0.4");
    assertEquals(
      await res.text(),
      "# HELP hits_total Hits.\n# TYPE hits_total counter\n" +
        'hits_total{app="web",a="1"} 7\nhits_total{app="web",a="2"} 2\n' +
        '# HELP g\n# TYPE g gauge\ng{app="web"} 1.5\n',
    );
    assertEquals(out.series, 3);
    const post = await fetch(`${url}/metrics`, { method: "POST", body: "x" });
    await post.body?.cancel();
    assertEquals(post.status, 405);
  } finally {
    await out.close!();
    await out.close!();
  }
});

Deno.test("prometheus_exporter: a counter that goes down is counted and logged once", async () => {
  const ctx = testFilterContext();
  const out = createPrometheusExporter(options({ add_timestamp: true }), ctx);
  try {
    await out.write(chunk([counter(10)]));
    await out.write(chunk([counter(4)]));
    await out.write(chunk([counter(1)]));
    const text = await (await fetch(`http://127.0.0.1:${out.port}/metrics`)).text();
    assertStringIncludes(text, 'hits_total{a="1"} 1 0\n');
    assertEquals(
      ctx.metrics.value("sluice_prometheus_exporter_counter_resets_total", { name: ctx.name }),
      2,
    );
    assertEquals(ctx.logLines.filter((l) => l.includes("a counter went down")).length, 1);
  } finally {
    await out.close!();
  }
});

Deno.test("prometheus_exporter: add_label without a value is refused at start", () => {
  assertThrows(
    () => createPrometheusExporter(options({ add_label: ["lonely"] }), testFilterContext()),
    OptionError,
    "'add_label' expects a key and a value",
  );
});
