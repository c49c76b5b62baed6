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
  /** The resource's attributes. */
  attributes: Attributes;
  /** Attributes the sender dropped. */
  droppedAttributesCount: number;
  /** The schema URL; "" when none. */
  schemaUrl: string;
}

/** The instrumentation scope (library) that produced the telemetry. */
export interface Scope {
  /** The scope's name; "" when none. */
  name: string;
  /** The scope's version; "" when none. */
  version: string;
  /** The scope's attributes. */
  attributes: Attributes;
  /** Attributes the sender dropped. */
  droppedAttributesCount: number;
  /** The schema URL; "" when none. */
  schemaUrl: string;
}

/** OTLP status codes. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
/** A span status code value. */
export type StatusCodeValue = 0 | 1 | 2;

/** A timed event on a span. */
export interface SpanEvent {
  /** When the event happened, in nanoseconds since the Unix epoch. */
  timeUnixNano: bigint;
  /** The event's name. */
  name: string;
  /** The event's attributes. */
  attributes: Attributes;
  /** Attributes the sender dropped. */
  droppedAttributesCount: number;
}

/** A link from a span to another span. */
export interface SpanLink {
  /** The linked span's 16-byte trace ID. */
  traceId: Uint8Array;
  /** The linked span's 8-byte span ID. */
  spanId: Uint8Array;
  /** The linked span's W3C tracestate; "" when none. */
  traceState: string;
  /** The link's attributes. */
  attributes: Attributes;
  /** Attributes the sender dropped. */
  droppedAttributesCount: number;
  /** W3C trace flags of the link. */
  flags: number;
}

/** One span with its resource and scope. */
export interface Span {
  /** The entity that produced the span. */
  resource: Resource;
  /** The instrumentation scope that produced the span. */
  scope: Scope;
  /** 16-byte trace ID. */
  traceId: Uint8Array;
  /** 8-byte span ID. */
  spanId: Uint8Array;
  /** The parent's span ID; empty for a root span. */
  parentSpanId: Uint8Array;
  /** W3C tracestate; "" when none. */
  traceState: string;
  /** W3C trace flags. */
  flags: number;
  /** The operation's name. */
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** Start, in nanoseconds since the Unix epoch. */
  startTimeUnixNano: bigint;
  /** End, in nanoseconds since the Unix epoch. */
  endTimeUnixNano: bigint;
  /** The span's attributes. */
  attributes: Attributes;
  /** Attributes the sender dropped. */
  droppedAttributesCount: number;
  /** Timed events on the span. */
  events: SpanEvent[];
  /** Events the sender dropped. */
  droppedEventsCount: number;
  /** Links to other spans. */
  links: SpanLink[];
  /** Links the sender dropped. */
  droppedLinksCount: number;
  /** The span's status code and message. */
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
