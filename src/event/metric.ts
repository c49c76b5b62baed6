import type { Attributes, Resource, Scope } from "./span.ts";

/**
 * A metric carried through the pipeline: its resource and scope by reference and
 * the OTLP metric itself (name, description, unit and one data field such as
 * `gauge` or `sum`) as a plain decoded object.
 */
export interface MetricRecord {
  /** The entity that produced the metric. */
  resource: Resource;
  /** The instrumentation scope that produced the metric. */
  scope: Scope;
  /** The metric's name. */
  name: string;
  /** The metric's description; "" when none. */
  description: string;
  /** The metric's unit; "" when none. */
  unit: string;
  /** The OTLP metric's metadata attributes. */
  metadata: Attributes;
  /** The OTLP data field, keyed by its kind: `{ sum: {...} }`, `{ gauge: {...} }`, ... */
  data: Record<string, unknown>;
}
