/** Fixtures of the node_exporter_metrics tests: the input over testdata's procfs and sysfs. */
import { defaultsOf } from "../../../src/config/options.ts";
import type { MetricChunk } from "../../../src/event/chunk.ts";
import type { MetricRecord } from "../../../src/event/metric.ts";
import { type TestInputContext, testInputContext } from "../../../src/testing/input_context.ts";
import type { NumberDataPoint } from "../../../src/otlp/metric_data.ts";
import { NodeExporterMetricsInput } from "./node_exporter_metrics.ts";
import { type NodeExporterMetricsOptions, nodeExporterMetricsOptions } from "./options.ts";
import { nodeExporterSettings } from "./settings.ts";

const root = new URL("../../../testdata/node_exporter/", import.meta.url).pathname;

/** The fixture procfs and sysfs, and the malformed procfs. */
export const FIXTURE = {
  procfs: `${root}proc`,
  sysfs: `${root}sys`,
  badProcfs: `${root}bad/proc`,
};

/** The parsed options with `over` (config keys) applied. */
export function neOptions(
  over: Partial<NodeExporterMetricsOptions> = {},
): NodeExporterMetricsOptions {
  return {
    ...defaultsOf(nodeExporterMetricsOptions),
    "path.procfs": FIXTURE.procfs,
    "path.sysfs": FIXTURE.sysfs,
    ...over,
  } as NodeExporterMetricsOptions;
}

/** One snapshot of `metrics` over the fixtures (or `over`'s paths), with the context used. */
export async function snapshotOf(
  metrics: string[],
  over: Partial<NodeExporterMetricsOptions> = {},
): Promise<{ chunk: MetricChunk; ctx: TestInputContext; input: NodeExporterMetricsInput }> {
  const ctx = testInputContext({ name: "node_exporter_metrics.0" });
  const input = new NodeExporterMetricsInput(
    nodeExporterSettings(neOptions({ metrics, ...over })),
    ctx,
  );
  return { chunk: await input.collectOnce(), ctx, input };
}

/** The points of metric `name` in `records` as [labels, value] pairs. */
export function points(
  records: MetricRecord[],
  name: string,
): [Record<string, unknown>, unknown][] {
  const m = records.find((r) => r.name === name);
  if (!m) return [];
  const d = (m.data.gauge ?? m.data.sum) as { dataPoints: NumberDataPoint[] };
  return d.dataPoints.map((p) => [p.attributes, p.value]);
}

/** The one value of metric `name` with `labels` (undefined when absent). */
export function value(
  records: MetricRecord[],
  name: string,
  labels: Record<string, string> = {},
): unknown {
  const want = JSON.stringify(Object.entries(labels).sort());
  return points(records, name).find(([l]) => JSON.stringify(Object.entries(l).sort()) === want)
    ?.[1];
}
