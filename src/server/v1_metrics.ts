/**
 * The v1 metrics of Fluent Bit (`/api/v1/metrics` and `/api/v1/metrics/prometheus`): a fixed
 * set of counters per plugin instance, read from the registry's Fluent Bit-named families.
 */

import type { MetricsRegistry } from "../engine/metrics.ts";

/** Instance names per kind, as labelled `name` in the registry. */
export interface Instances {
  inputs: string[];
  filters: string[];
  outputs: string[];
}

/** One v1 key of an instance and the registry family it is read from. */
type KeyMap = ReadonlyArray<readonly [key: string, family: string]>;

/** Input keys of the v1 JSON, in Fluent Bit's order. */
export const V1_INPUT_KEYS: KeyMap = [
  ["records", "fluentbit_input_records_total"],
  ["bytes", "fluentbit_input_bytes_total"],
];

/** Filter keys of the v1 JSON, in Fluent Bit's order. */
export const V1_FILTER_KEYS: KeyMap = [
  ["drop_records", "fluentbit_filter_drop_records_total"],
  ["add_records", "fluentbit_filter_added_records_total"],
];

/** Output keys of the v1 JSON, in Fluent Bit's order. */
export const V1_OUTPUT_KEYS: KeyMap = [
  ["proc_records", "fluentbit_output_proc_records_total"],
  ["proc_bytes", "fluentbit_output_proc_bytes_total"],
  ["errors", "fluentbit_output_errors_total"],
  ["retries", "fluentbit_output_retries_total"],
  ["retries_failed", "fluentbit_output_retries_failed_total"],
  ["dropped_records", "fluentbit_output_dropped_records_total"],
  ["retried_records", "fluentbit_output_retried_records_total"],
];

/** Per-instance counters of one kind: `{ "<name>": { "<key>": n } }`. */
export type V1Section = Record<string, Record<string, number>>;

/** The `/api/v1/metrics` body. */
export interface V1Metrics {
  input: V1Section;
  filter: V1Section;
  output: V1Section;
}

/**
 * Sums a family's series by their `name` label, so a series carrying extra labels still counts
 * toward its instance.
 */
export function byName(metrics: MetricsRegistry, family: string): Map<string, number> {
  const out = new Map<string, number>();
  const m = metrics.families.get(family);
  if (!m) return out;
  for (const s of m.series.values()) {
    const name = s.labels.name;
    if (name === undefined) continue;
    out.set(name, (out.get(name) ?? 0) + s.value);
  }
  return out;
}

function section(metrics: MetricsRegistry, names: string[], keys: KeyMap): V1Section {
  const values = keys.map(([key, family]) => [key, byName(metrics, family)] as const);
  const out: V1Section = {};
  for (const name of names) {
    const entry: Record<string, number> = {};
    for (const [key, byInstance] of values) entry[key] = byInstance.get(name) ?? 0;
    out[name] = entry;
  }
  return out;
}

/**
 * The `/api/v1/metrics` body: every configured instance, at 0 when nothing happened yet.
 *
 * @example
 * ```ts
 * import { MetricsRegistry } from "../engine/metrics.ts";
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const registry = new MetricsRegistry();
 * registry.counter("fluentbit_input_records_total", "Records").inc({ name: "dummy.0" }, 3);
 * const body = v1Metrics(registry, { inputs: ["dummy.0"], filters: [], outputs: ["stdout.0"] });
 * assertEquals(body.input, { "dummy.0": { records: 3, bytes: 0 } });
 * assertEquals(body.filter, {});
 * assertEquals(body.output["stdout.0"]?.proc_records, 0);
 * ```
 */
export function v1Metrics(metrics: MetricsRegistry, instances: Instances): V1Metrics {
  return {
    input: section(metrics, instances.inputs, V1_INPUT_KEYS),
    filter: section(metrics, instances.filters, V1_FILTER_KEYS),
    output: section(metrics, instances.outputs, V1_OUTPUT_KEYS),
  };
}

/** Fluent Bit's v1 HELP text, chosen by substring of the metric name as Fluent Bit does. */
function helpText(name: string): string {
  const rules: Array<[string, string]> = [
    ["input_bytes", "Number of input bytes."],
    ["input_records", "Number of input records."],
    ["output_bytes", "Number of output bytes."],
    ["output_records", "Number of output records."],
    ["output_errors", "Number of output errors."],
    ["output_retries_failed", "Number of output retries failed."],
    ["output_retries", "Number of output retries."],
    ["output_proc_records", "Number of processed output records."],
    ["output_proc_bytes", "Number of processed output bytes."],
  ];
  for (const [part, help] of rules) if (name.includes(part)) return help;
  return "Fluentbit metrics.";
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/**
 * The `/api/v1/metrics/prometheus` body as Fluent Bit writes it: `fluentbit_<kind>_<key>_total`
 * with label `name`, a millisecond timestamp on every sample, lines sorted, HELP and TYPE before
 * each family, then `process_start_time_seconds`.
 */
export function v1Prometheus(
  body: V1Metrics,
  options: { nowMs: number; startedAt: Date },
): string {
  const samples: string[] = [];
  for (const kind of ["input", "filter", "output"] as const) {
    for (const [name, values] of Object.entries(body[kind])) {
      for (const [key, value] of Object.entries(values)) {
        samples.push(
          `fluentbit_${kind}_${key}_total{name="${escapeLabel(name)}"} ${value} ${options.nowMs}`,
        );
      }
    }
  }
  samples.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lines: string[] = [];
  let family = "";
  for (const sample of samples) {
    const name = sample.slice(0, sample.indexOf("{"));
    if (name !== family) {
      family = name;
      lines.push(`# HELP ${name} ${helpText(name)}`, `# TYPE ${name} counter`);
    }
    lines.push(sample);
  }
  const start = Math.floor(options.startedAt.getTime() / 1000);
  lines.push(
    "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.",
    "# TYPE process_start_time_seconds gauge",
    `process_start_time_seconds ${start}`,
  );
  return lines.join("\n") + "\n";
}
