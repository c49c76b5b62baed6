/**
 * The one span builder of the tests: every field of a {@link Span} at a fixed default,
 * overridden by what a test cares about, so fixtures stay short and the model can grow a
 * field in one place.
 */
import {
  type Attributes,
  emptyResource,
  emptyScope,
  type Resource,
  type Scope,
  type Span,
  type StatusCodeValue,
} from "../event/span.ts";
import { idFromHex } from "../otlp/mod.ts";

/**
 * A span with `init` over fixed defaults: trace ID 16 × 0x01, span ID 8 × 0x02, no parent,
 * empty name, kind 0, times 1 and 2 ns, no attributes, events or links, status unset.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const s = testSpan({ name: "checkout", kind: 2 });
 * assertEquals([s.name, s.kind, s.spanId.length, s.endTimeUnixNano], ["checkout", 2, 8, 2n]);
 * ```
 */
export function testSpan(init: Partial<Span> = {}): Span {
  return {
    resource: emptyResource(),
    scope: emptyScope(),
    traceId: new Uint8Array(16).fill(1),
    spanId: new Uint8Array(8).fill(2),
    parentSpanId: new Uint8Array(0),
    traceState: "",
    flags: 0,
    name: "",
    kind: 0,
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: "" },
    ...init,
  };
}

/**
 * A valid server span of service "svc" with the given hex IDs, named "op", 500 ms long
 * from 2023-11-14, with `init` over that (what an OTLP exporter would send).
 *
 * @example
 * ```ts
 * import { hexId } from "../otlp/mod.ts";
 * import { assertEquals } from "./assert.ts";
 *
 * const s = hexSpan("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", { name: "a" });
 * assertEquals([hexId(s.spanId), s.name], ["eee19b7ec3c1b174", "a"]);
 * ```
 */
export function hexSpan(traceId: string, spanId: string, init: Partial<Span> = {}): Span {
  return testSpan({
    resource: { attributes: { "service.name": "svc" }, droppedAttributesCount: 0, schemaUrl: "" },
    traceId: idFromHex(traceId),
    spanId: idFromHex(spanId),
    name: "op",
    kind: 2,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_500_000_000n,
    ...init,
  });
}

/** A 16-byte trace ID for tests: `n` big-endian in the last 4 bytes, `first` as byte 0. */
export function numberedTraceId(n: number, first = 0xab): Uint8Array {
  const id = new Uint8Array(16);
  id[0] = first;
  new DataView(id.buffer).setUint32(12, n);
  return id;
}

/** An 8-byte span ID for tests: `n + 1` big-endian in the last 4 bytes. */
export function numberedSpanId(n: number): Uint8Array {
  const id = new Uint8Array(8);
  new DataView(id.buffer).setUint32(4, n + 1);
  return id;
}

/** What {@link timedSpan} may be given. */
export interface TimedSpanInit {
  /** The 16-byte trace ID. */
  traceId: Uint8Array;
  /** The 8-byte span ID; `numberedSpanId(0)` when omitted. */
  spanId?: Uint8Array;
  /** The parent's span ID; `numberedSpanId(999)` when omitted. */
  parent?: Uint8Array;
  /** The span's name; "op" when omitted. */
  name?: string;
  /** Start, in ms from the fixture's base time. */
  startMs?: number;
  /** Length, in ms; 10 when omitted. */
  durationMs?: number;
  /** The status code; OK when omitted. */
  status?: StatusCodeValue;
  /** The span's attributes. */
  attributes?: Attributes;
  /** The span's resource. */
  resource?: Resource;
  /** The span's scope. */
  scope?: Scope;
  /** W3C tracestate. */
  traceState?: string;
}

const T0 = 1_700_000_000_000_000_000n;

/**
 * A span of trace `init.traceId` for tests that reason in milliseconds (sampling
 * latency, ordering): times from a fixed epoch, 10 ms long, kind 1, status OK by default.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const s = timedSpan({ traceId: numberedTraceId(1), startMs: 150, durationMs: 50 });
 * assertEquals(s.endTimeUnixNano - s.startTimeUnixNano, 50_000_000n);
 * ```
 */
export function timedSpan(init: TimedSpanInit): Span {
  const start = T0 + BigInt(Math.round((init.startMs ?? 0) * 1e6));
  return testSpan({
    ...(init.resource && { resource: init.resource }),
    ...(init.scope && { scope: init.scope }),
    traceId: init.traceId,
    spanId: init.spanId ?? numberedSpanId(0),
    parentSpanId: init.parent ?? numberedSpanId(999),
    traceState: init.traceState ?? "",
    name: init.name ?? "op",
    kind: 1,
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(Math.round((init.durationMs ?? 10) * 1e6)),
    attributes: init.attributes ?? {},
    status: { code: init.status ?? 1, message: "" },
  });
}
