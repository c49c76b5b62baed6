/**
 * ExportTraceServiceRequest protobuf ↔ Span[], field numbers from
 * opentelemetry/proto/trace/v1/trace.proto and collector/trace/v1/trace_service.proto.
 */
import type { ProtoWriter } from "./proto_writer.ts";
import type { OtlpReader } from "./proto_reader.ts";
import {
  type Attributes,
  emptyScope,
  type Resource,
  type Scope,
  type Span,
  type SpanEvent,
  type SpanLink,
  type StatusCodeValue,
} from "../event/span.ts";
import { EMPTY_ID } from "./hex.ts";
import { blankSpan } from "./model.ts";
import {
  decodeResourceGroups,
  endAt,
  I32,
  I64,
  LEN,
  type ProtoLocation,
  readKeyValueInto,
  readScopeInto,
  skipField,
  subEnd,
  VARINT,
} from "./proto_common.ts";
import { encodeResourceGroups, writeAttributes } from "./proto_write.ts";
import { encodedOf, rememberBody } from "./encoded.ts";

const NAMES = ["resourceSpans", "scopeSpans", "spans"] as const;

/**
 * What a decoded span without events, links or status shares, frozen (a change in place
 * throws instead of reaching every span): three objects fewer per span, for the
 * allocator and for each scavenge that finds the span still buffered.
 */
const NO_EVENTS: SpanEvent[] = Object.freeze([]) as unknown as SpanEvent[];
const NO_LINKS: SpanLink[] = Object.freeze([]) as unknown as SpanLink[];
const UNSET: Span["status"] = Object.freeze({ code: 0, message: "" }) as Span["status"];
const SHARED = { events: NO_EVENTS, links: NO_LINKS, status: UNSET };

/**
 * Decodes an ExportTraceServiceRequest (or TracesData) into spans. With `ownsBody` (the
 * caller never reuses `body`), each span remembers its bytes for the encoder.
 */
export function decodeTracesProto(body: Uint8Array, ownsBody = false): Span[] {
  const spans: Span[] = [];
  decodeResourceGroups(
    body,
    NAMES,
    (r, resource, loc) => readScopeSpans(r, resource, spans, loc, ownsBody),
  );
  if (ownsBody) rememberBody(body); // decoded whole: its spans may be written back as bytes
  return spans;
}

function readScopeSpans(
  r: OtlpReader,
  resource: Resource,
  spans: Span[],
  loc: ProtoLocation,
  retain: boolean,
) {
  const end = subEnd(r);
  const scope = emptyScope();
  let prev: Span | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((2 << 3) | LEN)) {
      loc.item++;
      prev = readSpan(r, resource, scope, prev, retain);
      spans.push(prev);
    } else if (tag === ((1 << 3) | LEN)) readScopeInto(r, scope);
    else if (tag === ((3 << 3) | LEN)) scope.schemaUrl = r.str();
    else skipField(r, tag);
  }
  endAt(r, end);
  loc.item = -1;
}

/**
 * Reads a span; its trace and parent IDs share `prev`'s arrays when the bytes are equal.
 * With `idView` its span ID is a view into the body (see encoded.ts), else a copy.
 */
function readSpan(
  r: OtlpReader,
  resource: Resource,
  scope: Scope,
  prev: Span | undefined,
  idView: boolean,
): Span {
  const end = subEnd(r);
  const s = blankSpan(resource, scope, SHARED);
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | LEN:
        s.traceId = prev === undefined ? r.id() : r.idOr(prev.traceId);
        break;
      case (2 << 3) | LEN:
        s.spanId = idView ? r.idView() : r.id();
        break;
      case (3 << 3) | LEN:
        s.traceState = r.str();
        break;
      case (4 << 3) | LEN:
        s.parentSpanId = prev === undefined ? r.id() : r.idOr(prev.parentSpanId);
        break;
      case (5 << 3) | LEN:
        s.name = r.str();
        break;
      case (6 << 3) | VARINT:
        s.kind = r.int32();
        break;
      case (7 << 3) | I64:
        s.startTimeUnixNano = r.u64();
        break;
      case (8 << 3) | I64:
        s.endTimeUnixNano = r.u64();
        break;
      case (9 << 3) | LEN:
        readKeyValueInto(r, s.attributes);
        break;
      case (10 << 3) | VARINT:
        s.droppedAttributesCount = r.uint32();
        break;
      case (11 << 3) | LEN:
        if (s.events === NO_EVENTS) s.events = [];
        s.events.push(readEvent(r));
        break;
      case (12 << 3) | VARINT:
        s.droppedEventsCount = r.uint32();
        break;
      case (13 << 3) | LEN:
        if (s.links === NO_LINKS) s.links = [];
        s.links.push(readLink(r));
        break;
      case (14 << 3) | VARINT:
        s.droppedLinksCount = r.uint32();
        break;
      case (15 << 3) | LEN:
        s.status = readStatus(r);
        break;
      case (16 << 3) | I32:
        s.flags = r.fixed32();
        break;
      default:
        skipField(r, tag);
    }
  }
  endAt(r, end);
  return s;
}

function readEvent(r: OtlpReader): SpanEvent {
  const end = subEnd(r);
  const e: SpanEvent = { timeUnixNano: 0n, name: "", attributes: {}, droppedAttributesCount: 0 };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | I64)) e.timeUnixNano = r.u64();
    else if (tag === ((2 << 3) | LEN)) e.name = r.str();
    else if (tag === ((3 << 3) | LEN)) readKeyValueInto(r, e.attributes);
    else if (tag === ((4 << 3) | VARINT)) e.droppedAttributesCount = r.uint32();
    else skipField(r, tag);
  }
  endAt(r, end);
  return e;
}

function readLink(r: OtlpReader): SpanLink {
  const end = subEnd(r);
  const attributes: Attributes = {};
  const l: SpanLink = {
    traceId: EMPTY_ID,
    spanId: EMPTY_ID,
    traceState: "",
    attributes,
    droppedAttributesCount: 0,
    flags: 0,
  };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LEN)) l.traceId = r.id();
    else if (tag === ((2 << 3) | LEN)) l.spanId = r.id();
    else if (tag === ((3 << 3) | LEN)) l.traceState = r.str();
    else if (tag === ((4 << 3) | LEN)) readKeyValueInto(r, attributes);
    else if (tag === ((5 << 3) | VARINT)) l.droppedAttributesCount = r.uint32();
    else if (tag === ((6 << 3) | I32)) l.flags = r.fixed32();
    else skipField(r, tag);
  }
  endAt(r, end);
  return l;
}

function readStatus(r: OtlpReader): { code: StatusCodeValue; message: string } {
  const end = subEnd(r);
  const st = { code: 0 as StatusCodeValue, message: "" };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((2 << 3) | LEN)) st.message = r.str();
    else if (tag === ((3 << 3) | VARINT)) st.code = statusCode(r.int32());
    else skipField(r, tag);
  }
  endAt(r, end);
  return st;
}

/** Checks a status code number: 0 (unset), 1 (ok) or 2 (error). */
export function statusCode(n: number): StatusCodeValue {
  if (n === 0 || n === 1 || n === 2) return n;
  throw new Error(`status.code: expected 0 (unset), 1 (ok) or 2 (error), got ${n}`);
}

/** Encodes spans as an ExportTraceServiceRequest, one ResourceSpans per resource object. */
export function encodeTracesProto(spans: readonly Span[]): Uint8Array {
  return encodeResourceGroups(spans, writeSpan);
}

function writeSpan(w: ProtoWriter, s: Span): void {
  const raw = encodedOf(s);
  if (raw !== undefined) {
    w.tag(2, LEN).bytes(raw);
    return;
  }
  w.tag(2, LEN).fork();
  if (s.traceId.length > 0) w.tag(1, LEN).bytes(s.traceId);
  if (s.spanId.length > 0) w.tag(2, LEN).bytes(s.spanId);
  if (s.traceState !== "") w.tag(3, LEN).string(s.traceState);
  if (s.parentSpanId.length > 0) w.tag(4, LEN).bytes(s.parentSpanId);
  if (s.name !== "") w.tag(5, LEN).string(s.name);
  if (s.kind !== 0) w.tag(6, VARINT).int32(s.kind);
  if (s.startTimeUnixNano !== 0n) w.tag(7, I64).fixed64(s.startTimeUnixNano);
  if (s.endTimeUnixNano !== 0n) w.tag(8, I64).fixed64(s.endTimeUnixNano);
  writeAttributes(w, 9, s.attributes);
  if (s.droppedAttributesCount !== 0) w.tag(10, VARINT).uint32(s.droppedAttributesCount);
  for (const e of s.events) {
    w.tag(11, LEN).fork();
    if (e.timeUnixNano !== 0n) w.tag(1, I64).fixed64(e.timeUnixNano);
    if (e.name !== "") w.tag(2, LEN).string(e.name);
    writeAttributes(w, 3, e.attributes);
    if (e.droppedAttributesCount !== 0) w.tag(4, VARINT).uint32(e.droppedAttributesCount);
    w.join();
  }
  if (s.droppedEventsCount !== 0) w.tag(12, VARINT).uint32(s.droppedEventsCount);
  for (const l of s.links) {
    w.tag(13, LEN).fork();
    if (l.traceId.length > 0) w.tag(1, LEN).bytes(l.traceId);
    if (l.spanId.length > 0) w.tag(2, LEN).bytes(l.spanId);
    if (l.traceState !== "") w.tag(3, LEN).string(l.traceState);
    writeAttributes(w, 4, l.attributes);
    if (l.droppedAttributesCount !== 0) w.tag(5, VARINT).uint32(l.droppedAttributesCount);
    if (l.flags !== 0) w.tag(6, I32).fixed32(l.flags);
    w.join();
  }
  if (s.droppedLinksCount !== 0) w.tag(14, VARINT).uint32(s.droppedLinksCount);
  if (s.status.code !== 0 || s.status.message !== "") {
    w.tag(15, LEN).fork();
    if (s.status.message !== "") w.tag(2, LEN).string(s.status.message);
    if (s.status.code !== 0) w.tag(3, VARINT).int32(s.status.code);
    w.join();
  }
  if (s.flags !== 0) w.tag(16, I32).fixed32(s.flags);
  w.join();
}
