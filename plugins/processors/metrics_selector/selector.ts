/**
 * The metrics_selector processor's step. Context `metric_name`: a metric whose full name
 * matches (prefix, substring or `/REGEX/`) is kept by `include` and dropped by `exclude`.
 * Context `delete_label_value`: the series whose label NAME has VALUE are dropped, and a
 * metric left without series with them. A chunk left empty is dropped (its ack released).
 */
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import type { MetricRecord } from "../../../src/event/metric.ts";
import { OptionError, type PluginLogger, type TransformInstance } from "../../../src/plugin.ts";
import { attributeText, dataPointsOf, setDataPoints } from "../../../src/otlp/data_points.ts";
import { compileOnigmo } from "../../../src/parsers/onigmo.ts";
import type { MetricsSelectorOptions } from "./options.ts";

type Step = (metrics: MetricRecord[]) => MetricRecord[];

/** A name test for `pattern`: `/REGEX/` searched, else a prefix or a substring. */
export function nameMatcher(
  pattern: string,
  operation: "prefix" | "substring",
): (name: string) => boolean {
  if (pattern.length > 1 && pattern.startsWith("/") && pattern.endsWith("/")) {
    let re: RegExp;
    try {
      re = compileOnigmo(pattern.slice(1, -1));
    } catch (e) {
      throw new OptionError(
        "metric_name",
        `Cannot compile ${JSON.stringify(pattern)}: ${e instanceof Error ? e.message : e}`,
      );
    }
    return (name) => re.test(name);
  }
  return operation === "prefix"
    ? (name) => name.startsWith(pattern)
    : (name) => name.includes(pattern);
}

function byName(o: MetricsSelectorOptions, log: PluginLogger): Step {
  const [pattern, ...more] = o.metric_name;
  if (pattern === undefined || pattern === "") {
    throw new OptionError(
      "metric_name",
      "metric_name is needed for context metric_name, e.g. /^node_cpu_/",
    );
  }
  if (more.length > 0) {
    log.warn(
      `only the first metric_name (${JSON.stringify(pattern)}) is used, as in Fluent Bit; ` +
        `chain one metrics_selector per pattern`,
    );
  }
  const matches = nameMatcher(pattern, o.operation_type);
  const keep = o.action === "include";
  return (metrics) => metrics.filter((m) => matches(m.name) === keep);
}

function byLabelValue(o: MetricsSelectorOptions): Step {
  const m = /^\s*(\S+)\s+(.*\S)\s*$/s.exec(o.label ?? "");
  if (!m) {
    throw new OptionError(
      "label",
      `context delete_label_value needs label NAME VALUE, got ${JSON.stringify(o.label ?? "")}`,
    );
  }
  const [, name, value] = m as unknown as [string, string, string];
  return (metrics) => {
    const out: MetricRecord[] = [];
    for (const metric of metrics) {
      const points = dataPointsOf(metric);
      const kept = points.filter((p) =>
        !Object.hasOwn(p.attributes, name) || attributeText(p.attributes[name]) !== value
      );
      if (kept.length === points.length) out.push(metric);
      else if (kept.length > 0) {
        setDataPoints(metric, kept);
        out.push(metric);
      }
    }
    return out;
  };
}

/** Creates the processor for parsed options; throws OptionError on a missing or bad key. */
export function createMetricsSelector(
  o: MetricsSelectorOptions,
  log: PluginLogger,
): TransformInstance {
  const [context = "metric_name", ...more] = o.context;
  if (more.length > 0) log.warn(`only the first context (${context}) is used, as in Fluent Bit`);
  let step: Step;
  if (context.toLowerCase() === "metric_name") step = byName(o, log);
  else if (context.toLowerCase() === "delete_label_value") step = byLabelValue(o);
  else {
    throw new OptionError(
      "context",
      `unknown context ${JSON.stringify(context)}: expected metric_name or delete_label_value`,
    );
  }
  return {
    process(chunk: Chunk): Chunk | null {
      if (chunk.signal !== "metrics") return chunk;
      const kept = step(chunk.records);
      if (kept.length === 0) return null;
      return kept.length === chunk.records.length && kept.every((m, i) => m === chunk.records[i])
        ? chunk
        : withRecords(chunk, kept);
    },
  };
}
