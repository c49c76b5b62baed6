/**
 * OTLP/JSON readers for the messages every signal shares: AnyValue, KeyValue lists
 * (as attribute maps), Resource and InstrumentationScope. Keys are accepted in
 * lowerCamelCase and in the snake_case proto names; unknown keys are ignored.
 */
import { type AnyValue, type Attributes, emptyResource, emptyScope } from "../event/span.ts";
import type { Resource, Scope } from "../event/span.ts";
import { fail, jsonTypeName } from "./errors.ts";
import {
  jsonArray,
  jsonBool,
  jsonBytes,
  jsonDouble,
  jsonEntry,
  jsonInt32,
  jsonInt64,
  type JsonObject,
  jsonObject,
  jsonString,
} from "./json_read.ts";
import { intValue, setKey } from "./values.ts";

/**
 * An OTLP AnyValue in JSON form as a JS value: an empty AnyValue (`{}`) is null, a
 * string value of null is "", int64 is a number when exact and a bigint otherwise.
 */
export function jsonAnyValue(value: unknown, path: string): AnyValue {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    fail(path, `expected an AnyValue object, got ${jsonTypeName(value)}`);
  }
  const o = value as JsonObject;
  let out: AnyValue = null;
  for (const k in o) {
    const v = o[k];
    switch (k) {
      case "stringValue":
      case "string_value":
        out = jsonString(v, `${path}.stringValue`);
        break;
      case "boolValue":
      case "bool_value":
        out = jsonBool(v, `${path}.boolValue`);
        break;
      case "intValue":
      case "int_value":
        out = intValue(jsonInt64(v, `${path}.intValue`));
        break;
      case "doubleValue":
      case "double_value":
        out = jsonDouble(v, `${path}.doubleValue`);
        break;
      case "bytesValue":
      case "bytes_value":
        out = jsonBytes(v, `${path}.bytesValue`);
        break;
      case "arrayValue":
      case "array_value": {
        const arr = jsonObject(v, `${path}.arrayValue`);
        const values = jsonArray(arr?.values, `${path}.arrayValue.values`);
        const list: AnyValue[] = new Array(values.length);
        for (let i = 0; i < values.length; i++) {
          list[i] = jsonAnyValue(values[i], `${path}.arrayValue.values[${i}]`);
        }
        out = list;
        break;
      }
      case "kvlistValue":
      case "kvlist_value": {
        const kv = jsonObject(v, `${path}.kvlistValue`);
        out = jsonAttributes(kv?.values, `${path}.kvlistValue.values`);
        break;
      }
    }
  }
  return out;
}

/** A repeated KeyValue as an attribute map (a later duplicate key wins). */
export function jsonAttributes(value: unknown, path: string): Attributes {
  const list = jsonArray(value, path);
  const out: Attributes = {};
  for (let i = 0; i < list.length; i++) {
    const kv = jsonEntry(list[i], `${path}[${i}]`);
    let key = "";
    let val: AnyValue = null;
    for (const k in kv) {
      if (k === "key") key = jsonString(kv[k], `${path}[${i}].key`);
      else if (k === "value") val = jsonAnyValue(kv[k], `${path}[${i}].value`);
    }
    setKey(out, key, val);
  }
  return out;
}

/** Reads a Resource message into `into` (the object spans already reference). */
export function jsonResourceInto(value: unknown, path: string, into: Resource): void {
  const o = jsonObject(value, path);
  if (o === null) return;
  for (const k in o) {
    const v = o[k];
    switch (k) {
      case "attributes":
        into.attributes = jsonAttributes(v, `${path}.attributes`);
        break;
      case "droppedAttributesCount":
      case "dropped_attributes_count":
        into.droppedAttributesCount = jsonInt32(v, `${path}.droppedAttributesCount`);
        break;
    }
  }
}

/** Reads an InstrumentationScope message into `into`. */
export function jsonScopeInto(value: unknown, path: string, into: Scope): void {
  const o = jsonObject(value, path);
  if (o === null) return;
  for (const k in o) {
    const v = o[k];
    switch (k) {
      case "name":
        into.name = jsonString(v, `${path}.name`);
        break;
      case "version":
        into.version = jsonString(v, `${path}.version`);
        break;
      case "attributes":
        into.attributes = jsonAttributes(v, `${path}.attributes`);
        break;
      case "droppedAttributesCount":
      case "dropped_attributes_count":
        into.droppedAttributesCount = jsonInt32(v, `${path}.droppedAttributesCount`);
        break;
    }
  }
}

/** Called once per scope entry of a request with its items and shared Resource/Scope. */
export type JsonScopeVisitor = (
  items: unknown[],
  itemsPath: string,
  group: { resource: Resource; scope: Scope; resourceIndex: number; scopeIndex: number },
) => void;

/**
 * Walks `resource*` → `scope*` of a request in JSON form, calling `visit` for each scope
 * entry with its item array and the Resource and Scope objects all its items share.
 * `keys` names the three array fields, camelCase then snake_case.
 */
export function walkJsonRequest(
  root: unknown,
  keys: { resource: [string, string]; scope: [string, string]; item: [string, string] },
  visit: JsonScopeVisitor,
): void {
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    fail("", `expected a JSON object, got ${jsonTypeName(root)}`);
  }
  const [rCamel, rSnake] = keys.resource;
  const [sCamel, sSnake] = keys.scope;
  const [iCamel, iSnake] = keys.item;
  const top = root as JsonObject;
  const rList = jsonArray(top[rCamel] ?? top[rSnake], rCamel);
  for (let ri = 0; ri < rList.length; ri++) {
    const rPath = `${rCamel}[${ri}]`;
    const r = jsonEntry(rList[ri], rPath);
    const resource = emptyResource();
    jsonResourceInto(r.resource, `${rPath}.resource`, resource);
    resource.schemaUrl = jsonString(r.schemaUrl ?? r.schema_url, `${rPath}.schemaUrl`);
    const sList = jsonArray(r[sCamel] ?? r[sSnake], `${rPath}.${sCamel}`);
    for (let si = 0; si < sList.length; si++) {
      const sPath = `${rPath}.${sCamel}[${si}]`;
      const s = jsonEntry(sList[si], sPath);
      const scope = emptyScope();
      jsonScopeInto(s.scope, `${sPath}.scope`, scope);
      scope.schemaUrl = jsonString(s.schemaUrl ?? s.schema_url, `${sPath}.schemaUrl`);
      const items = jsonArray(s[iCamel] ?? s[iSnake], `${sPath}.${iCamel}`);
      visit(items, `${sPath}.${iCamel}`, { resource, scope, resourceIndex: ri, scopeIndex: si });
    }
  }
}
