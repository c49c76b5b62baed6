/**
 * The OTLP trace load of `bench:otlp` and `bench:otlp-compare`: ExportTraceServiceRequest
 * bodies of 100 spans (traces of 10 spans, one trace in 20 with an error root), and a span
 * counter that walks a request's length-delimited fields without decoding them.
 */
import { encodeTraces } from "../src/otlp/mod.ts";
import { emptyScope, type Span } from "../src/event/span.ts";

/** Spans in each request body. */
export const PER_REQUEST = 100;
/** Spans in each trace of the load. */
export const SPANS_PER_TRACE = 10;

/** The request bodies carrying `spans` spans (a multiple of {@link PER_REQUEST}). */
export function traceRequests(spans: number): Uint8Array[] {
  const resource = {
    attributes: { "service.name": "bench", "host.name": "bench-1" },
    droppedAttributesCount: 0,
    schemaUrl: "",
  };
  const scope = { ...emptyScope(), name: "bench", version: "1.0.0" };
  const out: Uint8Array[] = [];
  let n = 0;
  const start = 1_700_000_000_000_000_000n;
  for (let r = 0; r < spans / PER_REQUEST; r++) {
    const list: Span[] = [];
    for (let i = 0; i < PER_REQUEST; i++, n++) {
      const trace = Math.floor(n / SPANS_PER_TRACE);
      const traceId = new Uint8Array(16);
      new DataView(traceId.buffer).setUint32(12, trace + 1);
      traceId[0] = 0xab;
      const spanId = new Uint8Array(8);
      new DataView(spanId.buffer).setUint32(4, n + 1);
      spanId[0] = 0xcd;
      const isRoot = n % SPANS_PER_TRACE === 0;
      const parent = new Uint8Array(8);
      if (!isRoot) new DataView(parent.buffer).setUint32(4, trace * SPANS_PER_TRACE + 1);
      if (!isRoot) parent[0] = 0xcd;
      list.push({
        resource,
        scope,
        traceId,
        spanId,
        parentSpanId: isRoot ? new Uint8Array(0) : parent,
        traceState: "",
        flags: 1,
        name: isRoot ? "GET /api/cart" : `db.query ${n % SPANS_PER_TRACE}`,
        kind: isRoot ? 2 : 3,
        startTimeUnixNano: start + BigInt(n) * 1000n,
        endTimeUnixNano: start + BigInt(n) * 1000n + 2_500_000n,
        attributes: { "http.method": "GET", "http.status_code": 200, "db.rows": n % 17 },
        droppedAttributesCount: 0,
        events: [],
        droppedEventsCount: 0,
        links: [],
        droppedLinksCount: 0,
        status: { code: trace % 20 === 0 && isRoot ? 2 : 0, message: "" },
      });
    }
    out.push(encodeTraces(list, "protobuf"));
  }
  return out;
}

/** Spans of the load that a tail sampler keeping error traces keeps: one trace in 20. */
export function errorTraceSpans(spans: number): number {
  const traces = Math.ceil(spans / SPANS_PER_TRACE);
  return Math.ceil(traces / 20) * SPANS_PER_TRACE;
}

/**
 * Spans in an ExportTraceServiceRequest, counted by walking its length-delimited fields
 * (ResourceSpans = 1, ScopeSpans = 2, Span = 2) without decoding them.
 */
export function countSpans(b: Uint8Array): number {
  const varint = (at: number): [number, number] => {
    let v = 0;
    let shift = 0;
    while (true) {
      const byte = b[at++];
      if (byte === undefined) {
        throw new RangeError(`Cannot read a varint at offset ${at - 1}: the message ends`);
      }
      v += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return [v, at];
      shift += 7;
    }
  };
  /** Calls `each` with the [start, end) of every field `field` (wire type 2) in [at, end). */
  const fields = (at: number, end: number, field: number, each: (s: number, e: number) => void) => {
    while (at < end) {
      const [tag, p] = varint(at);
      const wire = tag & 7;
      if (wire === 2) {
        const [len, q] = varint(p);
        if (tag >>> 3 === field) each(q, q + len);
        at = q + len;
      } else if (wire === 0) at = varint(p)[1];
      else if (wire === 1) at = p + 8;
      else if (wire === 5) at = p + 4;
      else throw new Error(`unexpected wire type ${wire}`);
    }
  };
  let n = 0;
  fields(0, b.length, 1, (rs, re) => fields(rs, re, 2, (ss, se) => fields(ss, se, 2, () => n++)));
  return n;
}
