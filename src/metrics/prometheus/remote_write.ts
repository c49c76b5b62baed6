/**
 * Prometheus remote write 1.0: metric records as a protobuf `WriteRequest` (one `TimeSeries`
 * per sample, labels sorted by name with `__name__`, timestamps in ms, and a
 * `MetricMetadata` per family), and the decoder the tests and the benchmark's sink read it
 * back with. The samples are those of the text format (`series.ts`).
 */
import { BinaryReader } from "@bufbuild/protobuf/wire";
import type { MetricRecord } from "../../event/metric.ts";
import { ProtoWriter } from "../../otlp/proto_writer.ts";
import { prometheusType } from "../model.ts";
import { forEachSample, labelName, metricName } from "./series.ts";

/** Remote write's MetricMetadata.MetricType, by Prometheus type. */
const METRIC_TYPE: Record<string, number> = {
  unknown: 0,
  counter: 1,
  gauge: 2,
  histogram: 3,
  gaugehistogram: 4,
  summary: 5,
  info: 6,
  stateset: 7,
};

const LEN = 2, VARINT = 0, I64 = 1;

/** How to encode. */
export interface RemoteWriteOptions {
  /** Labels added to every series (`add_label`), unless the series has that label. */
  staticLabels?: readonly (readonly [string, string])[];
}

/** What {@link encodeWriteRequest} wrote. */
export interface EncodedWrite {
  /** The protobuf `WriteRequest`. */
  body: Uint8Array;
  /** TimeSeries written. */
  series: number;
}

const writer = new ProtoWriter(1 << 20);

/**
 * The `WriteRequest` of `metrics`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * import { gaugeData, newMetric, numberPoint } from "../model.ts";
 *
 * const m = newMetric("up", gaugeData([numberPoint({ job: "a" }, 1, 2_000_000n)]));
 * const { body } = encodeWriteRequest([m]);
 * assertEquals(decodeWriteRequest(body).series, [
 *   { labels: { __name__: "up", job: "a" }, samples: [[1, 2]] },
 * ]);
 * ```
 */
export function encodeWriteRequest(
  metrics: readonly MetricRecord[],
  options: RemoteWriteOptions = {},
): EncodedWrite {
  const w = writer;
  w.reset();
  const statics = (options.staticLabels ?? []).map(([k, v]) => [labelName(k), v] as const);
  let series = 0;
  const families = new Map<string, MetricRecord>();
  for (const m of metrics) {
    if (!families.has(m.name)) families.set(m.name, m);
    forEachSample(m, (name, labels, special, value, ts) => {
      const pairs: [string, string][] = [["__name__", name]];
      // An empty label is no label to Prometheus: it is left out, as its TSDB would.
      for (let i = 0; i < labels.length; i += 2) {
        if (labels[i + 1] !== "") pairs.push([labels[i]!, labels[i + 1]!]);
      }
      for (const [k, v] of statics) if (!pairs.some((p) => p[0] === k)) pairs.push([k, v]);
      if (special !== null) pairs.push([special[0], special[1]]);
      pairs.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
      w.tag(1, LEN).fork();
      for (const [k, v] of pairs) {
        w.tag(1, LEN).fork().tag(1, LEN).string(k).tag(2, LEN).string(v).join();
      }
      w.tag(2, LEN).fork().tag(1, I64).double(value).tag(2, VARINT).int64(
        Number(ts / 1_000_000n),
      ).join();
      w.join();
      series++;
    });
  }
  for (const m of families.values()) {
    w.tag(3, LEN).fork().tag(1, VARINT).uint32(METRIC_TYPE[prometheusType(m)] ?? 0)
      .tag(2, LEN).string(metricName(m.name));
    if (m.description !== "") w.tag(4, LEN).string(m.description);
    if (m.unit !== "") w.tag(5, LEN).string(m.unit);
    w.join();
  }
  return { body: w.finish(), series };
}

/** One decoded TimeSeries: its labels and `[value, timestamp ms]` samples. */
export interface DecodedSeries {
  /** Label name to value, `__name__` included. */
  labels: Record<string, string>;
  /** `[value, timestamp ms]` pairs. */
  samples: [number, number][];
}

/** A decoded `WriteRequest`. */
export interface DecodedWrite {
  /** The TimeSeries, in order. */
  series: DecodedSeries[];
  /** The MetricMetadata entries (type as remote write's MetricType number). */
  metadata: { type: number; name: string; help: string; unit: string }[];
}

/** Reads a `WriteRequest` (unknown fields skipped); throws on malformed protobuf. */
export function decodeWriteRequest(bytes: Uint8Array): DecodedWrite {
  const r = new BinaryReader(bytes);
  const out: DecodedWrite = { series: [], metadata: [] };
  while (r.pos < r.len) {
    const [field, wt] = r.tag();
    if (field === 1 && wt === LEN) out.series.push(readSeries(new BinaryReader(r.bytes())));
    else if (field === 3 && wt === LEN) {
      const m = new BinaryReader(r.bytes());
      const md = { type: 0, name: "", help: "", unit: "" };
      while (m.pos < m.len) {
        const [f, t] = m.tag();
        if (f === 1) md.type = m.uint32();
        else if (f === 2) md.name = m.string();
        else if (f === 4) md.help = m.string();
        else if (f === 5) md.unit = m.string();
        else m.skip(t);
      }
      out.metadata.push(md);
    } else r.skip(wt);
  }
  return out;
}

function readSeries(r: BinaryReader): DecodedSeries {
  const s: DecodedSeries = { labels: {}, samples: [] };
  while (r.pos < r.len) {
    const [field, wt] = r.tag();
    if (field === 1 && wt === LEN) {
      const l = new BinaryReader(r.bytes());
      let name = "", value = "";
      while (l.pos < l.len) {
        const [f, t] = l.tag();
        if (f === 1) name = l.string();
        else if (f === 2) value = l.string();
        else l.skip(t);
      }
      s.labels[name] = value;
    } else if (field === 2 && wt === LEN) {
      const p = new BinaryReader(r.bytes());
      let value = 0, ts = 0;
      while (p.pos < p.len) {
        const [f, t] = p.tag();
        if (f === 1) value = p.double();
        else if (f === 2) ts = Number(p.int64());
        else p.skip(t);
      }
      s.samples.push([value, ts]);
    } else r.skip(wt);
  }
  return s;
}

/** TimeSeries in a `WriteRequest`, counted without decoding them. */
export function countTimeSeries(bytes: Uint8Array): number {
  const r = new BinaryReader(bytes);
  let n = 0;
  while (r.pos < r.len) {
    const [field, wt] = r.tag();
    if (field === 1) n++;
    r.skip(wt);
  }
  return n;
}
