import type { MetricChunk } from "../../../src/event/chunk.ts";
import { Logger, memorySink } from "../../../src/engine/log.ts";
import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { optionsFromYaml } from "../../../src/testing/filter_context.ts";
import { gaugeMetric, metricChunk, seriesOf } from "../../../src/testing/metric_chunks.ts";
import { OptionError } from "../../../src/plugin.ts";
import { metricsSelectorOptions } from "./options.ts";
import { createMetricsSelector } from "./selector.ts";

function selector(section: Record<string, unknown>) {
  const sink = memorySink();
  const log = new Logger({ level: "debug", sink, component: "test" });
  const values = optionsFromYaml(metricsSelectorOptions, section);
  const inst = createMetricsSelector(values as never, log);
  const names = (c: MetricChunk | null) => Object.keys(seriesOf(c));
  return {
    run: (c: MetricChunk) => inst.process!(c) as MetricChunk | null,
    names,
    lines: sink.lines,
  };
}

const node = () =>
  metricChunk([
    gaugeMetric("node_cpu_seconds_total"),
    gaugeMetric("node_load1"),
    gaugeMetric("go_node_cpu_info"),
  ]);

Deno.test("metrics_selector /regex/ exclude drops the matches (vector 4)", () => {
  const s = selector({ metric_name: "/^node_cpu_/", action: "exclude" });
  assertEquals(s.names(s.run(node())), ["node_load1", "go_node_cpu_info"]);
});

Deno.test("metrics_selector include by prefix (the default) and by substring", () => {
  const prefix = selector({ metric_name: "node_cpu" });
  assertEquals(prefix.names(prefix.run(node())), ["node_cpu_seconds_total"]);
  const sub = selector({ metric_name: "cpu", operation_type: "substring" });
  assertEquals(sub.names(sub.run(node())), ["node_cpu_seconds_total", "go_node_cpu_info"]);
  const regexSearch = selector({ metric_name: "/cpu_(seconds|info)/" });
  assertEquals(regexSearch.names(regexSearch.run(node())).length, 2);
});

Deno.test("metrics_selector drops a chunk left empty; keeps an untouched chunk as it is", () => {
  const s = selector({ metric_name: "nothing_" });
  assertEquals(s.run(node()), null);
  const some = selector({ metric_name: "load", operation_type: "substring", action: "exclude" });
  assertEquals(some.run(node())?.records.length, 2);
  const keepAll = selector({ metric_name: "o", operation_type: "substring" });
  const c2 = node();
  assertEquals(keepAll.run(c2), c2);
});

Deno.test("metrics_selector delete_label_value drops the series with the label value", () => {
  const s = selector({ context: "delete_label_value", label: "cpu 1" });
  const c = metricChunk([
    gaugeMetric("a", [{ cpu: "0" }, { cpu: "1" }, { cpu: "1", mode: "x" }, {}]),
    gaugeMetric("b", [{ cpu: "1" }]),
  ]);
  assertEquals(seriesOf(s.run(c)), { a: [{ cpu: "0" }, {}] });
});

Deno.test("metrics_selector config errors: no metric_name, bad regex, no label, unknown context", () => {
  assertThrows(() => selector({}), OptionError, "metric_name is needed");
  assertThrows(() => selector({ metric_name: "/(/" }), OptionError, "Cannot compile");
  assertThrows(() => selector({ context: "delete_label_value" }), OptionError, "label NAME VALUE");
  assertThrows(
    () => selector({ context: "labels", metric_name: "x" }),
    OptionError,
    "unknown context",
  );
});

Deno.test("metrics_selector uses the first metric_name only and says so", () => {
  const s = selector({ metric_name: ["node_load", "go_"] });
  assertEquals(s.names(s.run(node())), ["node_load1"]);
  assertEquals(s.lines.filter((l) => l.includes("only the first metric_name")).length, 1);
});
