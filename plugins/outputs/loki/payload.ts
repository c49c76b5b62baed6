/**
 * Loki's JSON push body for a chunk, as Fluent Bit's out_loki composes it:
 * `{"streams":[{"stream":{labels},"values":[["<ns>","<line>"(,{metadata})?],...]}]}`.
 * With static labels only, one stream holds every record in order; otherwise each record
 * is a stream of its own. Records are split into one request per tenant (`tenant_id_key`),
 * and each request remembers which chunk records it carries, for partial rejections.
 */
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import { isGroupMarker } from "../../../src/event/log_record.ts";
import { jsonValue, Utf8TextBuilder } from "../../../src/event/json_value.ts";
import type { EventTime } from "../../../src/event/event_time.ts";
import { isRecordMap, type RecordAccessor } from "../../../src/event/record_accessor.ts";
import { type Pair, renderPairs, sanitizeLabelName } from "./pairs.ts";

/** One stream of a request: its labels as Loki prints them, and its entries. */
export interface SentStream {
  /** `{a="x", b="y"}`, names sorted, as Loki names a stream in its errors. */
  labels: string;
  /** Each entry's nanosecond timestamp and index in the chunk. */
  entries: { ns: string; index: number }[];
}

/** One push request. */
export interface LokiRequest {
  /** X-Scope-OrgID, when any. */
  tenant: string | undefined;
  /** The JSON body, UTF-8. */
  body: Uint8Array;
  /** Chunk indexes of the records it carries. */
  indexes: number[];
  streams: SentStream[];
}

/** What the payload needs, compiled from the options once. */
export interface PayloadPlan {
  labels: readonly Pair[];
  /** `auto_kubernetes_labels`. */
  kubernetesLabels: boolean;
  /** Metadata pairs, after the map-key entries. */
  metadata: readonly Pair[];
  /** `structured_metadata_map_keys` accessors. */
  metadataMaps: readonly RecordAccessor[];
  /** Whether values carry the third (metadata) element. */
  withMetadata: boolean;
  /** One stream for the whole chunk (no label reads a record). */
  staticLabels: boolean;
  line: (body: RecordMap) => string;
  tenantId: string | undefined;
  tenantKey: RecordAccessor | undefined;
  escapeUnicode: boolean;
  /** Called once per chunk when a record lacks the tenant key (message). */
  warn: (message: string) => void;
}

/** A nanosecond timestamp as Loki wants it: decimal digits in a string. */
export function nanoText(t: EventTime): string {
  return t.sec > 0 ? `${t.sec}${String(t.nsec).padStart(9, "0")}` : String(t.nsec);
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** The stream name Loki prints: `{a="x", b="y"}`, sorted by name. */
export function streamName(labels: readonly [string, string][]): string {
  const sorted = [...labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `{${sorted.map(([k, v]) => `${k}=${goQuote(v)}`).join(", ")}}`;
}

function pairsObject(pairs: readonly [string, string][]): string {
  let s = "{";
  for (let i = 0; i < pairs.length; i++) {
    const [k, v] = pairs[i]!;
    s += (i === 0 ? "" : ",") + JSON.stringify(k) + ":" + JSON.stringify(v);
  }
  return s + "}";
}

function labelsOf(plan: PayloadPlan, tag: string, body: RecordMap): [string, string][] {
  const out: [string, string][] = [];
  renderPairs(plan.labels, tag, body, out);
  if (plan.kubernetesLabels) {
    const k8s = body.kubernetes;
    const labels = isRecordMap(k8s) ? k8s.labels : undefined;
    if (isRecordMap(labels)) {
      for (const [k, v] of Object.entries(labels)) {
        if (typeof v === "string") out.push([sanitizeLabelName(k), v]);
      }
    }
  }
  if (out.length === 0) out.push(["job", "fluent-bit"]);
  return out;
}

function metadataOf(plan: PayloadPlan, tag: string, body: RecordMap): string {
  const out: [string, string][] = [];
  for (const ra of plan.metadataMaps) {
    const m = ra.get(body);
    if (!isRecordMap(m)) continue;
    for (const [k, v] of Object.entries(m)) {
      out.push([sanitizeLabelName(k), typeof v === "string" ? v : jsonValue(v)]);
    }
  }
  renderPairs(plan.metadata, tag, body, out);
  return pairsObject(out);
}

interface Group {
  tenant: string | undefined;
  indexes: number[];
}

function tenantGroups(plan: PayloadPlan, records: readonly LogRecord[]): Group[] {
  const groups = new Map<string | undefined, Group>();
  let missing = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (isGroupMarker(r)) continue;
    let tenant = plan.tenantId;
    if (plan.tenantKey) {
      const v = plan.tenantKey.get(r.body);
      if (typeof v === "string") tenant = v;
      else missing++;
    }
    let g = groups.get(tenant);
    if (!g) groups.set(tenant, g = { tenant, indexes: [] });
    g.indexes.push(i);
  }
  if (missing > 0 && plan.tenantKey) {
    plan.warn(
      `the value of ${plan.tenantKey.pattern} is missing or not a string in ${missing} records`,
    );
  }
  return [...groups.values()];
}

/** The push requests for a chunk of `tag` (none when it holds no log record). */
export function buildRequests(
  plan: PayloadPlan,
  tag: string,
  records: readonly LogRecord[],
): LokiRequest[] {
  const out: LokiRequest[] = [];
  for (const group of tenantGroups(plan, records)) {
    const streams: SentStream[] = [];
    // Built in pieces straight into UTF-8, escaped as json.escape_unicode says: no
    // chunk-sized string is ever made.
    const body = new Utf8TextBuilder({ json: true, escapeUnicode: plan.escapeUnicode });
    body.add('{"streams":[');
    // Static labels mean static metadata too: render it once, not per record.
    const fixedMetadata = plan.withMetadata && plan.staticLabels
      ? "," + metadataOf(plan, tag, {})
      : undefined;
    const value = (i: number, ns: string): string => {
      const r = records[i]!;
      const v = `["${ns}",${JSON.stringify(plan.line(r.body))}`;
      if (!plan.withMetadata) return v + "]";
      return v + (fixedMetadata ?? "," + metadataOf(plan, tag, r.body)) + "]";
    };
    if (plan.staticLabels) {
      const labels = labelsOf(plan, tag, {});
      const stream: SentStream = { labels: streamName(labels), entries: [] };
      body.add(`{"stream":${pairsObject(labels)},"values":[`);
      group.indexes.forEach((i, n) => {
        const ns = nanoText(records[i]!.time);
        body.add((n === 0 ? "" : ",") + value(i, ns));
        stream.entries.push({ ns, index: i });
      });
      body.add("]}");
      streams.push(stream);
    } else {
      group.indexes.forEach((i, n) => {
        const labels = labelsOf(plan, tag, records[i]!.body);
        const ns = nanoText(records[i]!.time);
        body.add(
          `${n === 0 ? "" : ","}{"stream":${pairsObject(labels)},"values":[${value(i, ns)}]}`,
        );
        streams.push({ labels: streamName(labels), entries: [{ ns, index: i }] });
      });
    }
    body.add("]}");
    out.push({ tenant: group.tenant, body: body.finish(), indexes: group.indexes, streams });
  }
  return out;
}
