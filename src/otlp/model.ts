/** Construction and grouping helpers for the span and metric models. */
import type { Resource, Scope, Span } from "../event/span.ts";
import { EMPTY_ID } from "./hex.ts";

/** A span with every field at its OTLP default, sharing `resource` and `scope`. */
export function blankSpan(
  resource: Resource,
  scope: Scope,
  empty?: Pick<Span, "events" | "links" | "status">,
): Span {
  return {
    resource,
    scope,
    traceId: EMPTY_ID,
    spanId: EMPTY_ID,
    parentSpanId: EMPTY_ID,
    traceState: "",
    flags: 0,
    name: "",
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    droppedAttributesCount: 0,
    events: empty ? empty.events : [],
    droppedEventsCount: 0,
    links: empty ? empty.links : [],
    droppedLinksCount: 0,
    status: empty ? empty.status : { code: 0, message: "" },
  };
}

/**
 * Groups items by resource object, then by scope object, keeping first-seen order,
 * so items decoded from one ResourceSpans/ScopeSpans go back into one again.
 */
export function groupByResourceScope<T extends { resource: Resource; scope: Scope }>(
  items: readonly T[],
): Map<Resource, Map<Scope, T[]>> {
  const out = new Map<Resource, Map<Scope, T[]>>();
  let lastResource: Resource | undefined;
  let lastScope: Scope | undefined;
  let lastList: T[] = [];
  for (const item of items) {
    if (item.resource === lastResource && item.scope === lastScope) {
      lastList.push(item);
      continue;
    }
    let scopes = out.get(item.resource);
    if (scopes === undefined) {
      scopes = new Map();
      out.set(item.resource, scopes);
    }
    let list = scopes.get(item.scope);
    if (list === undefined) {
      list = [];
      scopes.set(item.scope, list);
    }
    list.push(item);
    lastResource = item.resource;
    lastScope = item.scope;
    lastList = list;
  }
  return out;
}
