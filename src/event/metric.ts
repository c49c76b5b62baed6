import type { Attributes, Resource, Scope } from "./span.ts";

/**
 * A metric carried through the pipeline: its resource and scope by reference and
 * the OTLP metric itself (name, description, unit and one data field such as
 * `gauge` or `sum`) as a plain decoded object.
 */
export interface MetricRecord {
  resource: Resource;
  scope: Scope;
  name: string;
  description: string;
  unit: string;
  metadata: Attributes;
  /** The OTLP data field, keyed by its kind: `{ sum: {...} }`, `{ gauge: {...} }`, ... */
  data: Record<string, unknown>;
}
