/**
 * The attribute lookup the attribute conditions share: the span's resource
 * attributes first, then the span's own, as Fluent Bit checks them. A missing or
 * null attribute map counts as empty.
 */
import type { AnyValue, Attributes, Span } from "../../../../src/event/span.ts";
import type { TraceView } from "./types.ts";

/** Tests one attribute value; absent keys never reach it. */
export type ValueTest = (value: AnyValue) => boolean;

function test(attrs: Attributes | null | undefined, key: string, ok: ValueTest): boolean {
  if (!attrs || !Object.hasOwn(attrs, key)) return false;
  return ok(attrs[key]!);
}

/** An attribute key and the test its value must pass. */
export interface AttributeMatch {
  key: string;
  ok: ValueTest;
}

/**
 * True when any span of the trace has `key` passing `ok` in its resource's attributes
 * or its own. A resource shared by consecutive spans is tested once.
 */
export function anySpanAttribute(trace: TraceView, match: AttributeMatch): boolean {
  const { key, ok } = match;
  let lastResource: unknown = undefined;
  for (const span of trace.spans) {
    const resource = (span as Partial<Span>).resource;
    if (resource !== lastResource) {
      lastResource = resource;
      if (test(resource?.attributes, key, ok)) return true;
    }
    if (test((span as Partial<Span>).attributes, key, ok)) return true;
  }
  return false;
}
