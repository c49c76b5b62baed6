/**
 * HEC events as Fluent Bit's out_splunk writes them, one JSON object per record, back to
 * back: `{"time":..., "host", "source", "sourcetype", "index", "fields", "event": {...}}`
 * (metadata keys only when configured and not empty), the event a record value with
 * `event_key`, the record itself at the top level (one per line) with `splunk_send_raw`.
 * OTLP records also carry their resource's `host.name` and a `fields` map of resource
 * attributes, severity and record attributes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { EventTime } from "../../../src/event/event_time.ts";
 *
 * const plan = compileEvents({ sourcetype: "app", fields: [], raw: false, autoTime: false });
 * const out = formatEvents(plan, "t", [
 *   { time: new EventTime(1700000000, 5e8), metadata: {}, body: { msg: "hi" } },
 * ]);
 * assertEquals(out.text, '{"time":1700000000.5,"sourcetype":"app","event":{"msg":"hi"}}');
 * ```
 */
import {
  compileAccessor,
  isRecordMap,
  type RecordAccessor,
} from "../../../src/event/record_accessor.ts";
import { isGroupMarker, type LogRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { formatTimeDouble, jsonValue } from "../../../src/event/json_value.ts";
import { compileRecordTemplate, type RecordTemplate } from "../../../src/event/record_template.ts";

/** What formatting needs, from the options. */
export interface EventSettings {
  eventKey?: string;
  host?: string;
  source?: string;
  sourcetype?: string;
  sourcetypeKey?: string;
  index?: string;
  indexKey?: string;
  /** `event_field` values: `name $ra`. */
  fields: readonly string[];
  raw: boolean;
  autoTime: boolean;
  convertNanToNull?: boolean;
}

/** Compiled settings. */
export interface EventPlan {
  eventKey?: RecordTemplate;
  host?: RecordTemplate;
  source?: RecordTemplate;
  sourcetype?: string;
  sourcetypeKey?: RecordTemplate;
  index?: string;
  indexKey?: RecordTemplate;
  fields?: { name: string; ra: RecordAccessor }[];
  raw: boolean;
  autoTime: boolean;
  json: (v: unknown) => string;
}

/** Compiles `s`; throws SyntaxError (bad accessor) or RangeError (bad event_field). */
export function compileEvents(s: EventSettings): EventPlan {
  const t = (v: string | undefined) => v === undefined ? undefined : compileRecordTemplate(v);
  if (s.eventKey !== undefined && !s.eventKey.startsWith("$")) {
    throw new RangeError(
      `invalid event_key pattern ${JSON.stringify(s.eventKey)}: it must start with '$'`,
    );
  }
  const fields = s.fields.map((f) => {
    const m = /^\s*(\S+)\s+(\S.*?)\s*$/.exec(f);
    if (!m) throw new RangeError(`invalid event_field ${JSON.stringify(f)}: expected "name $key"`);
    return { name: m[1]!, ra: compileAccessor(m[2]!) };
  });
  return {
    eventKey: t(s.eventKey),
    host: t(s.host),
    source: t(s.source),
    sourcetype: s.sourcetype,
    sourcetypeKey: t(s.sourcetypeKey),
    index: s.index,
    indexKey: t(s.indexKey),
    fields: fields.length > 0 ? fields : undefined,
    raw: s.raw,
    autoTime: s.autoTime,
    json: (v) => jsonValue(v, { convertNanToNull: s.convertNanToNull }),
  };
}

/** The formatted body and which record each event came from. */
export interface FormattedEvents {
  text: string;
  /** Chunk index of each event, in order. */
  indexes: number[];
}

const key = (k: string) => JSON.stringify(k);

function meta(plan: EventPlan, tag: string, body: RecordMap): string {
  let s = "";
  const put = (k: string, v: string) => (s += `,${key(k)}:${JSON.stringify(v)}`);
  const host = plan.host?.render(tag, body);
  if (host) put("host", host);
  const source = plan.source?.render(tag, body);
  if (source) put("source", source);
  const st = plan.sourcetypeKey?.render(tag, body);
  if (st) put("sourcetype", st);
  else if (plan.sourcetype !== undefined) put("sourcetype", plan.sourcetype);
  const index = plan.indexKey?.render(tag, body);
  if (index) put("index", index);
  else if (plan.index !== undefined) put("index", plan.index);
  if (plan.fields) {
    const parts: string[] = [];
    for (const f of plan.fields) {
      const v = f.ra.get(body);
      if (v !== undefined) parts.push(`${key(f.name)}:${plan.json(v)}`);
    }
    s += `,"fields":{${parts.join(",")}}`;
  }
  return s;
}

interface Group {
  metadata: RecordMap;
  attributes: RecordMap;
}

function otel(plan: EventPlan, group: Group | undefined, metadata: RecordMap): string {
  if (!group || group.metadata.schema !== "otlp") return "";
  let s = "";
  const resource = group.attributes.resource;
  const attrs = isRecordMap(resource) && isRecordMap(resource.attributes)
    ? resource.attributes
    : undefined;
  if (attrs && attrs["host.name"] !== undefined) s += `,"host":${plan.json(attrs["host.name"])}`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(attrs ?? {})) parts.push(`${key(k)}:${plan.json(v)}`);
  const o = metadata.otlp;
  if (isRecordMap(o)) {
    const n = o.severity_number;
    if (typeof n === "number" && Number.isInteger(n)) parts.push(`"otel.log.severity.number":${n}`);
    if (typeof o.severity_text === "string") {
      parts.push(`"otel.log.severity.text":${JSON.stringify(o.severity_text)}`);
    }
    if (isRecordMap(o.attributes)) {
      for (const [k, v] of Object.entries(o.attributes)) parts.push(`${key(k)}:${plan.json(v)}`);
    }
  }
  return s + `,"fields":{${parts.join(",")}}`;
}

/** The events of `records` (group markers skipped), and where each came from. */
export function formatEvents(
  plan: EventPlan,
  tag: string,
  records: readonly LogRecord[],
): FormattedEvents {
  let text = "";
  const indexes: number[] = [];
  let group: Group | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (isGroupMarker(r)) {
      group = r.time.sec === -1 ? { metadata: r.metadata, attributes: r.body } : undefined;
      continue;
    }
    const time = plan.autoTime ? "" : `"time":${formatTimeDouble(r.time.sec, r.time.nsec)}`;
    const head = (rest: string) => `{${time}${time ? rest : rest.slice(1)}`;
    const value = plan.eventKey?.render(tag, r.body);
    if (value) {
      text += plan.raw
        ? JSON.stringify(value) + "\n"
        : head(`${meta(plan, tag, r.body)},"event":${JSON.stringify(value)}`) + "}";
    } else if (plan.raw) {
      text += plan.json(r.body) + "\n";
    } else {
      const rest = `${meta(plan, tag, r.body)}${otel(plan, group, r.metadata)},"event":` +
        plan.json(r.body);
      text += head(rest) + "}";
    }
    indexes.push(i);
  }
  return { text, indexes };
}
