/**
 * Spans, kept with their resource and instrumentation scope by reference. Every
 * field the OTLP spec lets be absent has a defined empty value here (empty IDs are
 * zero-length byte arrays, missing scope is {@link emptyScope}, null attributes are
 * `{}`), so no stage ever meets `undefined` where it expects a structure.
 */

/** An OTLP AnyValue as a JS value: bytes as Uint8Array, int64 as bigint when large. */
export type AnyValue =
  | string
  | number
  | bigint
  | boolean
  | Uint8Array
  | null
  | AnyValue[]
  | { [key: string]: AnyValue };

/** Attributes as a plain map (OTLP KeyValue list, keys unique). */
export type Attributes = Record<string, AnyValue>;

/** The entity that produced the telemetry. */
export interface Resource {
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
}

/** The instrumentation scope (library) that produced the telemetry. */
export interface Scope {
  name: string;
  version: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
}

/** OTLP status codes. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
/** A span status code value. */
export type StatusCodeValue = 0 | 1 | 2;

/** A timed event on a span. */
export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

/** A link from a span to another span. */
export interface SpanLink {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
}

/** One span with its resource and scope. */
export interface Span {
  resource: Resource;
  scope: Scope;
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  traceState: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: { code: StatusCodeValue; message: string };
}

/** A resource with no attributes. */
export function emptyResource(): Resource {
  return { attributes: {}, droppedAttributesCount: 0, schemaUrl: "" };
}

/** A scope with no name, the value a span with a missing scope gets. */
export function emptyScope(): Scope {
  return { name: "", version: "", attributes: {}, droppedAttributesCount: 0, schemaUrl: "" };
}
