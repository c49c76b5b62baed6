/**
 * Protobuf writing shared by the three signals: AnyValue, KeyValue lists, Resource and
 * InstrumentationScope (field numbers of opentelemetry/proto/common/v1/common.proto and
 * resource/v1/resource.proto), and the reusable writer every request encoder runs in.
 */
import { ProtoWriter } from "./proto_writer.ts";
import type { Resource, Scope } from "../event/span.ts";
import { I64, LEN, VARINT } from "./proto_common.ts";
import { isEmpty, isPlainObject } from "./values.ts";
import { groupByResourceScope } from "./model.ts";

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Writes the fields of an AnyValue message for a JS value (see `anyValueToJson`). */
export function writeAnyValue(w: ProtoWriter, v: unknown): void {
  switch (typeof v) {
    case "string":
      w.tag(1, LEN).string(v);
      return;
    case "boolean":
      w.tag(2, VARINT).bool(v);
      return;
    case "number":
      if (Number.isSafeInteger(v)) w.tag(3, VARINT).int64(v);
      else w.tag(4, I64).double(v);
      return;
    case "bigint":
      if (v >= INT64_MIN && v <= INT64_MAX) w.tag(3, VARINT).int64(v);
      else w.tag(4, I64).double(Number(v));
      return;
    case "undefined":
      return;
    case "object":
      if (v === null) return;
      if (v instanceof Uint8Array) w.tag(7, LEN).bytes(v);
      else if (Array.isArray(v)) {
        w.tag(5, LEN).fork();
        for (const item of v) {
          w.tag(1, LEN).fork();
          writeAnyValue(w, item);
          w.join();
        }
        w.join();
      } else if (isPlainObject(v)) {
        w.tag(6, LEN).fork();
        writeAttributes(w, 1, v as Record<string, unknown>);
        w.join();
      } else w.tag(1, LEN).string(String(v));
      return;
    default:
      w.tag(1, LEN).string(String(v));
  }
}

/** Writes an attribute map as repeated KeyValue field `fieldNo`. */
export function writeAttributes(
  w: ProtoWriter,
  fieldNo: number,
  attrs: Record<string, unknown>,
): void {
  for (const key in attrs) {
    w.tag(fieldNo, LEN).fork();
    if (key !== "") w.tag(1, LEN).string(key);
    w.tag(2, LEN).fork();
    writeAnyValue(w, attrs[key]);
    w.join();
    w.join();
  }
}

/** Writes a Resource as field `fieldNo`, omitted when it has nothing to say. */
export function writeResource(w: ProtoWriter, fieldNo: number, r: Resource): void {
  if (r.droppedAttributesCount === 0 && isEmpty(r.attributes)) return;
  w.tag(fieldNo, LEN).fork();
  writeAttributes(w, 1, r.attributes);
  if (r.droppedAttributesCount !== 0) w.tag(2, VARINT).uint32(r.droppedAttributesCount);
  w.join();
}

/** Writes an InstrumentationScope as field `fieldNo`, omitted when empty. */
export function writeScope(w: ProtoWriter, fieldNo: number, s: Scope): void {
  if (
    s.name === "" && s.version === "" && s.droppedAttributesCount === 0 && isEmpty(s.attributes)
  ) {
    return;
  }
  w.tag(fieldNo, LEN).fork();
  if (s.name !== "") w.tag(1, LEN).string(s.name);
  if (s.version !== "") w.tag(2, LEN).string(s.version);
  writeAttributes(w, 3, s.attributes);
  if (s.droppedAttributesCount !== 0) w.tag(4, VARINT).uint32(s.droppedAttributesCount);
  w.join();
}

let shared = new ProtoWriter();
let sharedBusy = false;
const SHARED_MAX = 4 * 1024 * 1024;

/**
 * Runs `fn` with a ProtoWriter and returns the bytes written. A module-level writer is
 * reused so its buffer need not grow again for every request (it is dropped after a
 * request above 4 MB); a nested call gets a fresh writer.
 */
export function encodeWith(fn: (w: ProtoWriter) => void): Uint8Array {
  if (sharedBusy) {
    const w = new ProtoWriter(1024);
    fn(w);
    return w.finish();
  }
  sharedBusy = true;
  try {
    fn(shared);
    const out = shared.finish();
    if (shared.capacity > SHARED_MAX) shared = new ProtoWriter();
    return out;
  } catch (e) {
    shared = new ProtoWriter();
    throw e;
  } finally {
    sharedBusy = false;
  }
}

/**
 * An Export*ServiceRequest body for items kept with their resource and scope: one
 * Resource* message (field 1) per resource object, one Scope* message (field 2) per scope
 * object, each item written by `writeItem` (as field 2 of the Scope* message).
 */
export function encodeResourceGroups<T extends { resource: Resource; scope: Scope }>(
  items: readonly T[],
  writeItem: (w: ProtoWriter, item: T) => void,
): Uint8Array {
  return encodeWith((w) => {
    for (const [resource, scopes] of groupByResourceScope(items)) {
      w.tag(1, LEN).fork();
      writeResource(w, 1, resource);
      for (const [scope, list] of scopes) {
        w.tag(2, LEN).fork();
        writeScope(w, 1, scope);
        for (const item of list) writeItem(w, item);
        if (scope.schemaUrl !== "") w.tag(3, LEN).string(scope.schemaUrl);
        w.join();
      }
      if (resource.schemaUrl !== "") w.tag(3, LEN).string(resource.schemaUrl);
      w.join();
    }
  });
}
