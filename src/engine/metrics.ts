/**
 * Counters and gauges with labels, named as Fluent Bit names them, rendered as
 * Prometheus text (0.0.4) for the monitoring server.
 */

/** Label values of one series, e.g. `{ name: "dummy.0" }`. */
export type Labels = Record<string, string>;

interface Series {
  labels: Labels;
  value: number;
}

/** One metric family: a name, help, type and its series by label set. */
export class Metric {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge";
  readonly series = new Map<string, Series>();
  // The series of the labels object last asked for: callers pass the same object per
  // chunk (an input's, a processor's), and a series keeps its labels object unchanged.
  #lastLabels: Labels | undefined;
  #lastSeries: Series | undefined;

  constructor(name: string, help: string, type: "counter" | "gauge") {
    this.name = name;
    this.help = help;
    this.type = type;
  }

  #get(labels: Labels): Series {
    if (labels === this.#lastLabels) return this.#lastSeries!;
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, value: 0 };
      this.series.set(key, s);
    }
    this.#lastLabels = labels;
    this.#lastSeries = s;
    return s;
  }

  /** Adds `n` (default 1) to the series for `labels`. */
  inc(labels: Labels, n = 1): void {
    this.#get(labels).value += n;
  }

  /** Sets the series for `labels` (gauges). */
  set(labels: Labels, value: number): void {
    this.#get(labels).value = value;
  }

  /** The current value for `labels` (0 when never touched). */
  get(labels: Labels): number {
    return this.series.get(labelKey(labels))?.value ?? 0;
  }

  /** Ensures the series exists at 0, so it shows before anything happens. */
  touch(labels: Labels): void {
    this.#get(labels);
  }
}

/** `k=v` pairs sorted by key; one and two labels (the usual, once per chunk) without sorting. */
function labelKey(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 1) return `${keys[0]}=${labels[keys[0]!]}`;
  if (keys.length === 2) {
    let [a, b] = keys as [string, string];
    if (b < a) [a, b] = [b, a];
    return `${a}=${labels[a]},${b}=${labels[b]}`;
  }
  return keys.sort().map((k) => `${k}=${labels[k]}`).join(",");
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/**
 * The process's metrics. Plugins get counters from it by name; asking twice for
 * the same name returns the same family.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "../testing/assert.ts";
 *
 * const m = new MetricsRegistry();
 * const records = m.counter("fluentbit_input_records_total", "Number of input records.");
 * records.inc({ name: "dummy.0" }, 5);
 * assertStringIncludes(m.renderPrometheus(), 'fluentbit_input_records_total{name="dummy.0"} 5');
 * ```
 */
export class MetricsRegistry {
  readonly #families = new Map<string, Metric>();
  #refreshers = new Set<() => void>();

  /** Every family by name; the gauges kept by {@link onRead} are brought up to date first. */
  get families(): Map<string, Metric> {
    for (const refresh of this.#refreshers) refresh();
    return this.#families;
  }

  /**
   * Runs `refresh` before every read of the families, for gauges that mirror state (buffer
   * sizes) instead of a timer updating them while nothing reads them; returns the undo.
   */
  onRead(refresh: () => void): () => void {
    this.#refreshers.add(refresh);
    return () => this.#refreshers.delete(refresh);
  }

  counter(name: string, help: string): Metric {
    return this.#family(name, help, "counter");
  }

  gauge(name: string, help: string): Metric {
    return this.#family(name, help, "gauge");
  }

  #family(name: string, help: string, type: "counter" | "gauge"): Metric {
    let m = this.#families.get(name);
    if (!m) {
      m = new Metric(name, help, type);
      this.#families.set(name, m);
    }
    return m;
  }

  /** The value of one series, 0 when absent. */
  value(name: string, labels: Labels): number {
    return this.families.get(name)?.get(labels) ?? 0;
  }

  /** Prometheus text exposition format 0.0.4. */
  renderPrometheus(timestampMs?: number): string {
    const lines: string[] = [];
    for (const m of this.families.values()) {
      lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
      for (const s of m.series.values()) {
        const l = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",");
        const ts = timestampMs === undefined ? "" : ` ${timestampMs}`;
        lines.push(`${m.name}${l ? `{${l}}` : ""} ${s.value}${ts}`);
      }
    }
    return lines.join("\n") + "\n";
  }
}
