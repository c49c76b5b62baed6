/**
 * Parses the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 into metric
 * records: one per family, counters as cumulative monotonic sums, gauges as gauges,
 * histograms (`_bucket`/`_sum`/`_count`) and summaries (`quantile`/`_sum`/`_count`) as
 * theirs, untyped and unknown families as gauges marked `prometheus.type: unknown`; HELP is
 * the description, UNIT the unit, `_created` the start time. A sample without a timestamp
 * gets `nowNs`. A bad line is skipped and reported, never the whole text; a series given
 * twice keeps its first sample.
 */
import type { MetricRecord } from "../../event/metric.ts";
import type { Attributes } from "../../event/span.ts";
import type {
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
} from "../../otlp/metric_data.ts";
import {
  counterData,
  gaugeData,
  histogramData,
  newMetric,
  type PrometheusType,
  summaryData,
} from "../model.ts";
import { createdNanos, decimalNanos, lexSample, LineError, type SampleLine } from "./lexer.ts";
import { addGroupSample, type Grouped, histogramPoint, summaryPoint } from "./parse_groups.ts";

/** How to read a text. */
export interface ParseOptions {
  /** The scrape time, for samples without a timestamp (ns since the epoch). */
  nowNs: bigint;
  /** OpenMetrics (timestamps in seconds, `# EOF`); detected from `# EOF` when omitted. */
  openMetrics?: boolean;
  /** Most labels one sample may have (default 512). */
  maxLabels?: number;
}

/** A line that was skipped. */
export interface ParseProblem {
  /** 1-based line number. */
  line: number;
  /** Why it was skipped. */
  reason: string;
  /** The line, cut to 200 characters. */
  text: string;
}

/** What a text parsed to. */
export interface ParseResult {
  /** One record per family, in the order of first appearance. */
  metrics: MetricRecord[];
  /** Samples read. */
  samples: number;
  /** Lines skipped, with why. */
  problems: ParseProblem[];
  /** Samples dropped because their series was already given. */
  duplicates: number;
}

/** A family being assembled. */
export interface Family {
  /** The family name (of its TYPE/HELP line, else of its first sample). */
  name: string;
  /** Its type; `unknown` until a TYPE line says. */
  type: PrometheusType;
  /** Its HELP text. */
  help: string;
  /** Its UNIT (OpenMetrics). */
  unit: string;
  /** Counter, gauge and untyped points by their label text. */
  numbers: Map<string, NumberDataPoint>;
  /** Histogram and summary series by their labels less `le`/`quantile`. */
  groups: Map<string, Grouped>;
  /** The name its number samples carry (`foo_total` for OpenMetrics counter `foo`). */
  sampleName: string;
}

const TYPES: Record<string, PrometheusType> = {
  counter: "counter",
  gauge: "gauge",
  histogram: "histogram",
  summary: "summary",
  untyped: "unknown",
  unknown: "unknown",
  info: "info",
  stateset: "stateset",
  gaugehistogram: "gaugehistogram",
};

/** Suffixes a family's samples may carry, by type. */
const SUFFIXES: Partial<Record<PrometheusType, readonly string[]>> = {
  counter: ["_total", "_created"],
  histogram: ["_bucket", "_sum", "_count", "_created"],
  gaugehistogram: ["_bucket", "_gsum", "_gcount"],
  summary: ["_sum", "_count", "_created"],
  info: ["_info"],
};

function unescapeHelp(s: string): string {
  return s.includes("\\") ? s.replace(/\\(.)/g, (_m, c: string) => c === "n" ? "\n" : c) : s;
}

/** Nanoseconds since the epoch of a timestamp as written ("" → `fallback`). */
function toNanos(ts: string, openMetrics: boolean, fallback: bigint): bigint {
  if (ts === "") return fallback;
  return decimalNanos(ts, openMetrics ? 9 : 6);
}

/** Parses `text`; see the module comment. */
export function parsePrometheusText(text: string, options: ParseOptions): ParseResult {
  const om = options.openMetrics ?? /(^|\n)# EOF\s*$/.test(text.slice(-64));
  const maxLabels = options.maxLabels ?? 512;
  const families = new Map<string, Family>();
  const result: ParseResult = { metrics: [], samples: 0, problems: [], duplicates: 0 };
  const family = (name: string): Family => {
    let f = families.get(name);
    if (f === undefined) {
      f = {
        name,
        type: "unknown",
        help: "",
        unit: "",
        numbers: new Map(),
        groups: new Map(),
        sampleName: "",
      };
      families.set(name, f);
    }
    return f;
  };
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line === "" || (line.charCodeAt(0) <= 32 && line.trim() === "")) continue;
    try {
      if (line.charCodeAt(0) === 35 /* # */) {
        readComment(line, family);
        continue;
      }
      const s = lexSample(line, maxLabels);
      const f = familyOf(s.name, families) ?? family(s.name);
      const ts = toNanos(s.timestamp, om, options.nowNs);
      if (addSample(f, s, ts)) result.samples++;
      else result.duplicates++;
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      result.problems.push({
        line: lineNo,
        reason: e.message,
        text: line.length > 200 ? line.slice(0, 200) + "..." : line,
      });
    }
  }
  for (const f of families.values()) {
    const m = toRecord(f);
    if (m !== null) result.metrics.push(m);
  }
  return result;
}

function readComment(line: string, family: (name: string) => Family): void {
  const m = /^#\s+(HELP|TYPE|UNIT)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:[ \t]+(.*))?$/.exec(line);
  if (m === null) return; // a plain comment, or # EOF
  const f = family(m[2]!);
  const rest = m[3] ?? "";
  if (m[1] === "HELP") f.help = unescapeHelp(rest);
  else if (m[1] === "UNIT") f.unit = rest.trim();
  else {
    const t = TYPES[rest.trim().toLowerCase()];
    if (t === undefined) throw new LineError(`unknown metric type ${JSON.stringify(rest.trim())}`);
    if (f.numbers.size > 0 || f.groups.size > 0) {
      throw new LineError(`TYPE of "${f.name}" after its samples`);
    }
    f.type = t;
  }
}

/** The declared family sample `name` belongs to (itself, or its name less a type's suffix). */
function familyOf(name: string, families: Map<string, Family>): Family | undefined {
  const own = families.get(name);
  if (own !== undefined && (own.type !== "counter" || !name.endsWith("_created"))) return own;
  const cut = name.lastIndexOf("_");
  if (cut <= 0) return own;
  const base = families.get(name.slice(0, cut));
  if (base !== undefined && SUFFIXES[base.type]?.includes(name.slice(cut))) return base;
  return own;
}

function attributesOf(labels: string[], skip: string): [Attributes, string, string] {
  const attrs: Attributes = {};
  let key = "";
  let special = "";
  for (let i = 0; i < labels.length; i += 2) {
    const k = labels[i]!, v = labels[i + 1]!;
    if (k === skip) {
      special = v;
      continue;
    }
    attrs[k] = v;
    key += k + "\u0000" + v + "\u0001";
  }
  return [attrs, key, special];
}

/** Adds one sample to `f`; false when its series was already there. */
function addSample(f: Family, s: SampleLine, ts: bigint): boolean {
  const { name, labels, value } = s;
  const suffix = name.length > f.name.length ? name.slice(f.name.length) : "";
  if (f.type === "histogram" || f.type === "gaugehistogram") {
    const [attrs, key, le] = attributesOf(labels, "le");
    return addGroupSample(f.groups, { attrs, key, special: le, suffix, value, ts });
  }
  if (f.type === "summary") {
    const [attrs, key, q] = attributesOf(labels, "quantile");
    return addGroupSample(f.groups, { attrs, key, special: q, suffix, value, ts });
  }
  // The labels as written key the series (the same labels in another order count as two).
  const key = s.labelText;
  if (suffix === "_created") {
    const p = f.numbers.get(key);
    if (p !== undefined) p.startTimeUnixNano = createdNanos(value);
    return true;
  }
  if (f.numbers.has(key)) return false;
  if (f.sampleName === "") f.sampleName = name;
  const attrs: Attributes = {};
  for (let i = 0; i < labels.length; i += 2) attrs[labels[i]!] = labels[i + 1]!;
  f.numbers.set(key, {
    attributes: attrs,
    startTimeUnixNano: 0n,
    timeUnixNano: ts,
    flags: 0,
    value,
    exemplars: [],
  });
  return true;
}

function toRecord(f: Family): MetricRecord | null {
  const init = { description: f.help, unit: f.unit, prometheusType: f.type };
  // An OpenMetrics counter family is named without _total; the record keeps its series' name.
  const name = f.sampleName || f.name;
  const numbers = [...f.numbers.values()];
  switch (f.type) {
    case "counter":
      return numbers.length === 0 ? null : newMetric(name, counterData(numbers), init);
    case "histogram":
    case "gaugehistogram": {
      const points: HistogramDataPoint[] = [];
      for (const g of f.groups.values()) points.push(histogramPoint(g));
      return points.length === 0 ? null : newMetric(f.name, histogramData(points), init);
    }
    case "summary": {
      const points: SummaryDataPoint[] = [];
      for (const g of f.groups.values()) points.push(summaryPoint(g));
      return points.length === 0 ? null : newMetric(f.name, summaryData(points), init);
    }
    default:
      return numbers.length === 0 ? null : newMetric(name, gaugeData(numbers), init);
  }
}
