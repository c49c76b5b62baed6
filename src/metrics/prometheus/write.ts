/**
 * Writes metric records as the Prometheus text exposition format 0.0.4, laid out as Fluent
 * Bit's prometheus_exporter (cmetrics) prints it: families grouped by type (counters,
 * gauges, summaries, histograms, then untyped), `# HELP` and `# TYPE` before each, static
 * labels before a series' own (after `le`/`quantile`), no timestamps unless asked. Values are
 * written in the shortest form that reads back exactly, `NaN`, `+Inf` and `-Inf` as
 * Prometheus spells them (Fluent Bit writes `%.17g` and `nan`/`inf`).
 */
import type { MetricRecord } from "../../event/metric.ts";
import { prometheusType } from "../model.ts";
import { forEachSample, goFloat, labelName, metricName } from "./series.ts";

/** How to write. */
export interface WriteOptions {
  /** Labels added to every series (`add_label`), as name/value pairs. */
  staticLabels?: readonly (readonly [string, string])[];
  /** Append each sample's timestamp in ms (`add_timestamp`). */
  timestamps?: boolean;
}

const ORDER = { counter: 0, gauge: 1, summary: 2, histogram: 3, untyped: 4 } as const;
type TextType = keyof typeof ORDER;

function textType(m: MetricRecord): TextType {
  switch (prometheusType(m)) {
    case "counter":
      return "counter";
    case "gauge":
    case "info":
    case "stateset":
      return "gauge";
    case "histogram":
    case "gaugehistogram":
      return "histogram";
    case "summary":
      return "summary";
    default:
      return "untyped";
  }
}

/** A label value with `\`, `"` and newlines escaped. */
export function escapeLabelValue(v: string): string {
  if (!/[\\"\n]/.test(v)) return v;
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(v: string): string {
  return /[\\\n]/.test(v) ? v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n") : v;
}

/**
 * A sample value: the shortest exact digits, in exponent form below 1e-4 or from 1e17, as
 * Fluent Bit's `%.17g` lays them out (without its excess digits).
 */
export function valueText(v: number): string {
  return goFloat(v, 17);
}

/**
 * The exposition of `metrics`; records of one name and type are written as one family.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * import { gaugeData, newMetric, numberPoint } from "../model.ts";
 *
 * const m = newMetric("temp", gaugeData([numberPoint({ room: "a" }, 21.5, 0n)]), {
 *   description: "A gauge",
 * });
 * assertEquals(
 *   writePrometheusText([m], { staticLabels: [["app", "x"]] }),
 *   '# HELP temp A gauge\n# TYPE temp gauge\ntemp{app="x",room="a"} 21.5\n',
 * );
 * ```
 */
export function writePrometheusText(
  metrics: readonly MetricRecord[],
  options: WriteOptions = {},
): string {
  const families = new Map<string, { type: TextType; help: string; records: MetricRecord[] }>();
  for (const m of metrics) {
    const type = textType(m);
    const key = type + " " + m.name;
    const f = families.get(key);
    if (f === undefined) families.set(key, { type, help: m.description, records: [m] });
    else f.records.push(m);
  }
  const sorted = [...families.values()].sort((a, b) => ORDER[a.type] - ORDER[b.type]);
  const staticLabels = (options.staticLabels ?? []).map(([k, v]) => [labelName(k), v] as const);
  const staticText = staticLabels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  const stamp = options.timestamps === true;
  let out = "";
  for (const f of sorted) {
    const name = metricName(f.records[0]!.name);
    out += f.help === "" ? `# HELP ${name}\n` : `# HELP ${name} ${escapeHelp(f.help)}\n`;
    out += `# TYPE ${name} ${f.type}\n`;
    for (const m of f.records) {
      forEachSample(m, (sample, labels, special, value, ts) => {
        const parts: string[] = [];
        if (special !== null) parts.push(`${special[0]}="${special[1]}"`);
        for (let i = 0; i < staticLabels.length; i++) {
          if (!hasLabel(labels, staticLabels[i]![0])) parts.push(staticText[i]!);
        }
        for (let i = 0; i < labels.length; i += 2) {
          parts.push(`${labels[i]}="${escapeLabelValue(labels[i + 1]!)}"`);
        }
        out += parts.length === 0 ? sample : `${sample}{${parts.join(",")}}`;
        out += " " + valueText(value);
        out += stamp ? ` ${ts / 1_000_000n}\n` : "\n";
      });
    }
  }
  return out;
}

function hasLabel(labels: readonly string[], name: string): boolean {
  for (let i = 0; i < labels.length; i += 2) if (labels[i] === name) return true;
  return false;
}
