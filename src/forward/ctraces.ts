/**
 * Fluent Bit's traces payload on the forward wire (`fluent_signal` 2): ctraces msgpack
 * (`ctr_encode_msgpack.c`): `{resourceSpans: [{resource, schema_url, scope_spans: [{scope,
 * spans, schema_url}]}]}` with IDs as lowercase hex strings and times as uint64 nanoseconds,
 * mapped to and from sluice's Span. ctraces carries no span `flags` (they read as 0) and keeps
 * the schema URL per resource span and scope span (mapped to the resource's and scope's).
 */
import type { AnyValue, Attributes, Resource, Scope, Span } from "../event/span.ts";
import { decodeMulti } from "../event/msgpack.ts";
import { describeValue, ForwardError } from "./errors.ts";
import { isMap } from "./entries.ts";
import { MpWriter } from "./mp_writer.ts";

type Obj = Record<string, unknown>;

function bad(detail: string): never {
  throw new ForwardError("bad_payload", `Cannot decode ctraces payload: ${detail}`);
}

function map(v: unknown, what: string): Obj {
  if (!isMap(v)) bad(`expected ${what} to be a map, got ${describeValue(v)}`);
  return v;
}

function list(v: unknown, what: string): unknown[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) bad(`expected ${what} to be an array, got ${describeValue(v)}`);
  return v;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function count(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

function nanos(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return BigInt(v);
  return 0n;
}

function hexId(v: unknown, what: string): Uint8Array {
  if (v === null || v === undefined || v === "") return new Uint8Array(0);
  if (v instanceof Uint8Array) return v.slice();
  if (typeof v !== "string" || v.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(v)) {
    bad(`expected ${what} as hex, got ${describeValue(v)}`);
  }
  const out = new Uint8Array(v.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(v.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function attrs(v: unknown): Attributes {
  return isMap(v) ? (v as Attributes) : {};
}

function decodeSpan(raw: unknown, resource: Resource, scope: Scope): Span {
  const s = map(raw, "a span");
  const status = isMap(s.status) ? s.status : {};
  const code = status.code === 1 || status.code === 2 ? status.code : 0;
  return {
    resource,
    scope,
    traceId: hexId(s.trace_id, "trace_id"),
    spanId: hexId(s.span_id, "span_id"),
    parentSpanId: hexId(s.parent_span_id, "parent_span_id"),
    traceState: str(s.trace_state),
    flags: 0,
    name: str(s.name),
    kind: count(s.kind),
    startTimeUnixNano: nanos(s.start_time_unix_nano),
    endTimeUnixNano: nanos(s.end_time_unix_nano),
    attributes: attrs(s.attributes),
    droppedAttributesCount: count(s.dropped_attributes_count),
    events: list(s.events, "events").map((e) => {
      const ev = map(e, "an event");
      return {
        timeUnixNano: nanos(ev.time_unix_nano),
        name: str(ev.name),
        attributes: attrs(ev.attributes),
        droppedAttributesCount: count(ev.dropped_attributes_count),
      };
    }),
    droppedEventsCount: count(s.dropped_events_count),
    links: list(s.links, "links").map((l) => {
      const link = map(l, "a link");
      return {
        traceId: hexId(link.trace_id, "link trace_id"),
        spanId: hexId(link.span_id, "link span_id"),
        traceState: str(link.trace_state),
        attributes: attrs(link.attributes),
        droppedAttributesCount: count(link.dropped_attributes_count),
        flags: 0,
      };
    }),
    droppedLinksCount: count(s.dropped_links_count),
    status: { code, message: str(status.message) },
  };
}

/**
 * The spans in a ctraces msgpack payload (one or more contexts); throws ForwardError
 * "bad_payload" when it is not one.
 *
 * @example
 * ```ts
 * import { kitSamples } from "../testing/samples.ts";
 *
 * const spans = kitSamples().traces;
 * decodeCtraces(encodeCtraces(spans)).length === spans.length; // true
 * ```
 */
export function decodeCtraces(bytes: Uint8Array): Span[] {
  let contexts: unknown[];
  try {
    contexts = [...decodeMulti(bytes)];
  } catch (e) {
    bad((e as Error).message);
  }
  const out: Span[] = [];
  for (const c of contexts) {
    for (const rsRaw of list(map(c, "the context").resourceSpans, "resourceSpans")) {
      const rs = map(rsRaw, "a resource span");
      const res = isMap(rs.resource) ? rs.resource : {};
      const resource: Resource = {
        attributes: attrs(res.attributes),
        droppedAttributesCount: count(res.dropped_attributes_count),
        schemaUrl: str(rs.schema_url),
      };
      for (const ssRaw of list(rs.scope_spans, "scope_spans")) {
        const ss = map(ssRaw, "a scope span");
        const sc = isMap(ss.scope) ? ss.scope : {};
        const scope: Scope = {
          name: str(sc.name),
          version: str(sc.version),
          attributes: attrs(sc.attributes),
          droppedAttributesCount: count(sc.dropped_attributes_count),
          schemaUrl: str(ss.schema_url),
        };
        for (const s of list(ss.spans, "spans")) out.push(decodeSpan(s, resource, scope));
      }
    }
  }
  return out;
}

function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

function writeId(w: MpWriter, id: Uint8Array): void {
  if (id.length === 0) w.nil();
  else w.str(hex(id));
}

function writeVariant(w: MpWriter, v: AnyValue): void {
  if (typeof v === "string") w.str(v);
  else if (typeof v === "boolean") w.bool(v);
  else if (typeof v === "bigint") w.int(v);
  else if (typeof v === "number") Number.isInteger(v) ? w.int(v) : w.f64(v);
  else if (v instanceof Uint8Array) w.bin(v);
  else if (v === null) w.nil();
  else if (Array.isArray(v)) {
    w.array(v.length);
    for (const x of v) writeVariant(w, x);
  } else writeAttrs(w, v);
}

function writeAttrs(w: MpWriter, a: Attributes): void {
  const keys = Object.keys(a);
  w.map(keys.length);
  for (const k of keys) {
    w.str(k);
    writeVariant(w, a[k]!);
  }
}

function writeSpan(w: MpWriter, s: Span): void {
  w.map(16);
  w.str("trace_id");
  writeId(w, s.traceId);
  w.str("span_id");
  writeId(w, s.spanId);
  w.str("parent_span_id");
  writeId(w, s.parentSpanId);
  w.str("trace_state").str(s.traceState);
  w.str("name").str(s.name);
  w.str("kind").uint(s.kind);
  w.str("start_time_unix_nano").uint(s.startTimeUnixNano);
  w.str("end_time_unix_nano").uint(s.endTimeUnixNano);
  w.str("attributes");
  writeAttrs(w, s.attributes);
  w.str("dropped_attributes_count").uint(s.droppedAttributesCount);
  w.str("dropped_events_count").uint(s.droppedEventsCount);
  w.str("dropped_links_count").uint(s.droppedLinksCount);
  w.str("events").array(s.events.length);
  for (const e of s.events) {
    w.map(4).str("time_unix_nano").uint(e.timeUnixNano).str("name").str(e.name);
    w.str("attributes");
    writeAttrs(w, e.attributes);
    w.str("dropped_attributes_count").uint(e.droppedAttributesCount);
  }
  w.str("links").array(s.links.length);
  for (const l of s.links) {
    w.map(5).str("trace_id");
    writeId(w, l.traceId);
    w.str("span_id");
    writeId(w, l.spanId);
    w.str("trace_state").str(l.traceState).str("attributes");
    writeAttrs(w, l.attributes);
    w.str("dropped_attributes_count").uint(l.droppedAttributesCount);
  }
  w.str("schema_url").str(s.scope.schemaUrl);
  w.str("status").map(2).str("code").int(s.status.code).str("message").str(s.status.message);
}

/**
 * One ctraces msgpack context holding `spans`, grouped by resource and scope (by reference),
 * readable by Fluent Bit's in_forward.
 */
export function encodeCtraces(spans: readonly Span[]): Uint8Array {
  const groups = new Map<Resource, Map<Scope, Span[]>>();
  for (const s of spans) {
    let scopes = groups.get(s.resource);
    if (!scopes) groups.set(s.resource, scopes = new Map());
    let list = scopes.get(s.scope);
    if (!list) scopes.set(s.scope, list = []);
    list.push(s);
  }
  const w = new MpWriter();
  w.map(1).str("resourceSpans").array(groups.size);
  for (const [resource, scopes] of groups) {
    w.map(3).str("resource").map(2).str("attributes");
    writeAttrs(w, resource.attributes);
    w.str("dropped_attributes_count").uint(resource.droppedAttributesCount);
    w.str("schema_url").str(resource.schemaUrl);
    w.str("scope_spans").array(scopes.size);
    for (const [scope, list] of scopes) {
      w.map(3).str("scope").map(4).str("name").str(scope.name).str("version").str(scope.version);
      w.str("attributes");
      writeAttrs(w, scope.attributes);
      w.str("dropped_attributes_count").uint(scope.droppedAttributesCount);
      w.str("spans").array(list.length);
      for (const s of list) writeSpan(w, s);
      w.str("schema_url").str(scope.schemaUrl);
    }
  }
  return w.bytes();
}
