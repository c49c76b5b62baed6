/**
 * OTLP/JSON writers for the shared messages: AnyValue, attributes, Resource and
 * InstrumentationScope. Output follows the spec's JSON Protobuf Encoding: lowerCamelCase
 * keys, int64 as decimal strings, enums as integers, bytes as base64, default values omitted.
 */
import { base64Encode } from "@bufbuild/protobuf/wire";
import type { Resource, Scope } from "../event/span.ts";
import { groupByResourceScope } from "./model.ts";
import { isPlainObject } from "./values.ts";

/** A JSON object under construction. */
export type JsonOut = Record<string, unknown>;

/** A double as proto3 JSON writes it: NaN and the infinities as strings. */
export function jsonDoubleOut(n: number): number | string {
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
}

/**
 * A JS value as an OTLP AnyValue: safe integers and bigints as intValue, other numbers as
 * doubleValue, Uint8Array as bytesValue, arrays and plain objects as arrayValue/kvlistValue,
 * null and undefined as the empty AnyValue. Other values (Date, EventTime…) become strings.
 */
export function anyValueToJson(v: unknown): JsonOut {
  switch (typeof v) {
    case "string":
      return { stringValue: v };
    case "boolean":
      return { boolValue: v };
    case "number":
      return Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: jsonDoubleOut(v) };
    case "bigint":
      return { intValue: String(v) };
    case "undefined":
      return {};
    case "object": {
      if (v === null) return {};
      if (v instanceof Uint8Array) return { bytesValue: base64Encode(v) };
      if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValueToJson) } };
      if (isPlainObject(v)) {
        return { kvlistValue: { values: attributesToJson(v as Record<string, unknown>) } };
      }
      return { stringValue: String(v) };
    }
    default:
      return { stringValue: String(v) };
  }
}

/** An attribute map as a KeyValue list. */
export function attributesToJson(attrs: Record<string, unknown>): JsonOut[] {
  const out: JsonOut[] = [];
  for (const key in attrs) out.push({ key, value: anyValueToJson(attrs[key]) });
  return out;
}

/** Sets `key` on `o` unless `value` is a default (empty string, 0, empty list or map). */
export function putIf(o: JsonOut, key: string, value: unknown): void {
  if (value === "" || value === 0 || value === 0n || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  o[key] = value;
}

/** A Resource message (attributes and dropped count). */
export function resourceToJson(r: Resource): JsonOut {
  const o: JsonOut = {};
  putIf(o, "attributes", attributesToJson(r.attributes));
  putIf(o, "droppedAttributesCount", r.droppedAttributesCount);
  return o;
}

/** An InstrumentationScope message. */
export function scopeToJson(s: Scope): JsonOut {
  const o: JsonOut = {};
  putIf(o, "name", s.name);
  putIf(o, "version", s.version);
  putIf(o, "attributes", attributesToJson(s.attributes));
  putIf(o, "droppedAttributesCount", s.droppedAttributesCount);
  return o;
}

/** Serializes a JSON request body as UTF-8. */
export function jsonBody(o: JsonOut): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(o));
}

/**
 * An OTLP/JSON request body for items kept with their resource and scope: one
 * `<resourceKey>` entry per resource object and one `<scopeKey>` entry per scope
 * object (e.g. `resourceSpans` > `scopeSpans` > `spans`), each item through `toJson`.
 */
export function groupedJsonBody<T extends { resource: Resource; scope: Scope }>(
  items: readonly T[],
  keys: { resource: string; scope: string; item: string },
  toJson: (item: T) => JsonOut,
): Uint8Array {
  const resources: JsonOut[] = [];
  for (const [resource, scopes] of groupByResourceScope(items)) {
    const scopeList: JsonOut[] = [];
    for (const [scope, list] of scopes) {
      const so: JsonOut = { scope: scopeToJson(scope), [keys.item]: list.map(toJson) };
      putIf(so, "schemaUrl", scope.schemaUrl);
      scopeList.push(so);
    }
    const ro: JsonOut = { resource: resourceToJson(resource), [keys.scope]: scopeList };
    putIf(ro, "schemaUrl", resource.schemaUrl);
    resources.push(ro);
  }
  return jsonBody({ [keys.resource]: resources });
}
