/**
 * Reading OTLP values back out of Fluent Bit record metadata and group bodies, which
 * filters may have changed: numbers may be bigint, number or decimal string, IDs bytes
 * or hex strings, maps anything. Wrong types fall back to the OTLP default.
 */
import type { LogRecord, RecordMap } from "../event/log_record.ts";
import {
  type Attributes,
  emptyResource,
  emptyScope,
  type Resource,
  type Scope,
} from "../event/span.ts";
import { EMPTY_ID, idFromHex } from "./hex.ts";
import type { OtlpLogGroup } from "./log_model.ts";
import { isPlainObject } from "./values.ts";

/** A uint64 (timestamp) from metadata, or undefined when absent or unusable. */
export function metaU64(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v >= 0n ? v : undefined;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^\d+$/.test(v)) return BigInt(v);
  return undefined;
}

/** A 32-bit unsigned number from metadata, 0 when absent or unusable. */
export function metaInt(v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
  if (typeof v === "bigint" && v >= 0n && v <= 0xffffffffn) return Number(v);
  return 0;
}

/** An ID from metadata: bytes as they are, hex text parsed, anything else empty. */
export function metaId(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") {
    try {
      return idFromHex(v);
    } catch {
      return EMPTY_ID;
    }
  }
  return EMPTY_ID;
}

function map(v: unknown): RecordMap | null {
  return v !== null && typeof v === "object" && isPlainObject(v) ? v as RecordMap : null;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** The group with an empty resource and scope that records outside any group go into. */
export function plainGroup(): OtlpLogGroup {
  return {
    resource: emptyResource(),
    scope: emptyScope(),
    resourceIndex: 0,
    scopeIndex: 0,
    logs: [],
  };
}

/**
 * The group a GROUP_START record opens. When `prev` came from the same ResourceLogs
 * (same `resource_id` and an equal resource), it shares `prev`'s resource object.
 */
export function groupFromStart(rec: LogRecord, prev: OtlpLogGroup | undefined): OtlpLogGroup {
  const body = rec.body;
  const r = map(body.resource) ?? {};
  const s = map(body.scope) ?? {};
  const resource: Resource = {
    attributes: (map(r.attributes) ?? {}) as Attributes,
    droppedAttributesCount: metaInt(r.dropped_attributes_count),
    schemaUrl: str(r.schema_url),
  };
  const scope: Scope = {
    name: str(s.name),
    version: str(s.version),
    attributes: (map(s.attributes) ?? {}) as Attributes,
    droppedAttributesCount: metaInt(s.dropped_attributes_count),
    schemaUrl: str(s.schema_url),
  };
  const resourceIndex = metaInt(rec.metadata.resource_id);
  const scopeIndex = metaInt(rec.metadata.scope_id);
  const same = prev !== undefined && prev.resourceIndex === resourceIndex &&
    prev.scopeIndex < scopeIndex && deepEqual(prev.resource, resource);
  return { resource: same ? prev.resource : resource, scope, resourceIndex, scopeIndex, logs: [] };
}

/** Structural equality for decoded OTLP values (maps, arrays, bytes, scalars). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) {
      return false;
    }
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!deepEqual((a as RecordMap)[k], (b as RecordMap)[k])) return false;
  }
  return true;
}
