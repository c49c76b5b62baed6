/**
 * The latest point of every series seen, per source (an input instance): what Fluent Bit's
 * prometheus_exporter serves. A new point replaces the one of the same metric and attributes;
 * series never expire, as in Fluent Bit. A counter that goes down is a reset: it is taken
 * and counted.
 */
import type { MetricRecord } from "../event/metric.ts";
import type { DataPointBase, NumberDataPoint } from "../otlp/metric_data.ts";
import { dataPoints, labelValue, prometheusType } from "./model.ts";

interface Family {
  /** The last record of this family seen, for its name, help, unit, kind and metadata. */
  template: MetricRecord;
  kind: string;
  points: Map<string, DataPointBase>;
}

/** What {@link LatestSeries.add} saw. */
export interface AddResult {
  /** Series seen for the first time. */
  added: number;
  /** Counter series whose value went down (a reset). */
  resets: number;
  /** A reset series, for the log line. */
  resetSample?: string;
}

function seriesKey(p: DataPointBase): string {
  let key = "";
  for (const k in p.attributes) key += k + "\u0000" + labelValue(p.attributes[k]!) + "\u0001";
  return key;
}

/** The latest points of each source's series. */
export class LatestSeries {
  #sources = new Map<string, Map<string, Family>>();
  #series = 0;
  #version = 0;

  /** Series held. */
  get size(): number {
    return this.#series;
  }

  /** Bumped by each {@link add}, to know when a rendering is stale. */
  get version(): number {
    return this.#version;
  }

  /** Takes the points of `metrics` from `source`. */
  add(source: string, metrics: readonly MetricRecord[]): AddResult {
    let families = this.#sources.get(source);
    if (families === undefined) {
      families = new Map();
      this.#sources.set(source, families);
    }
    const out: AddResult = { added: 0, resets: 0 };
    for (const m of metrics) {
      const kind = Object.keys(m.data)[0];
      if (kind === undefined) continue;
      const fkey = kind + " " + m.name;
      let f = families.get(fkey);
      if (f === undefined) {
        f = { template: m, kind, points: new Map() };
        families.set(fkey, f);
      } else f.template = m;
      const counter = prometheusType(m) === "counter";
      for (const p of dataPoints(m)) {
        const key = seriesKey(p);
        const old = f.points.get(key);
        if (old === undefined) out.added++;
        else if (counter && isReset(old, p)) {
          out.resets++;
          out.resetSample ??= `${m.name}{${
            key.replaceAll("\u0000", "=").replaceAll("\u0001", ",")
          }}`;
        }
        f.points.set(key, p);
      }
    }
    this.#series += out.added;
    this.#version++;
    return out;
  }

  /** Every source's families as metric records holding their latest points. */
  records(): MetricRecord[] {
    const out: MetricRecord[] = [];
    for (const families of this.#sources.values()) {
      for (const f of families.values()) {
        const inner = f.template.data[f.kind] as Record<string, unknown>;
        out.push({
          ...f.template,
          data: { [f.kind]: { ...inner, dataPoints: [...f.points.values()] } },
        });
      }
    }
    return out;
  }
}

function isReset(old: DataPointBase, p: DataPointBase): boolean {
  const a = (old as NumberDataPoint).value, b = (p as NumberDataPoint).value;
  return a !== null && b !== null && a !== undefined && b !== undefined && Number(b) < Number(a);
}
