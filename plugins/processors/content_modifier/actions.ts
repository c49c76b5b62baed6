/**
 * The actions on a map (a record body, metadata, or an attribute map): insert
 * (only when the key is absent), upsert, delete, rename (in place, keeping the key's
 * position), hash, extract (the named groups of `pattern` on the key's string value
 * become keys of the same map) and convert. Values inserted are strings, as in
 * Fluent Bit. A missing key, a non-string for extract or a value that cannot be
 * converted leaves the map as it was.
 */
import { CANNOT, type ConvertType, convertValue, hashValue } from "./convert.ts";

/** The `action` values. */
export type Action = "insert" | "upsert" | "delete" | "rename" | "hash" | "extract" | "convert";

/** One configured modification, compiled. */
export interface Op {
  action: Action;
  key: string;
  value: string;
  pattern?: RegExp;
  convertTo?: ConvertType;
}

/** True for actions that may create the map they work on when it is missing. */
export function creates(action: Action): boolean {
  return action === "insert" || action === "upsert";
}

function renameInPlace(map: Record<string, unknown>, from: string, to: string): void {
  if (from === to) return;
  const entries = Object.entries(map);
  for (const [k] of entries) delete map[k];
  for (const [k, v] of entries) {
    if (k === to) continue;
    map[k === from ? to : k] = v;
  }
}

/** Applies `op` to `map` in place; returns true when it changed something. */
export function applyToMap(op: Op, map: Record<string, unknown>): boolean {
  const has = Object.hasOwn(map, op.key);
  switch (op.action) {
    case "insert":
      if (has) return false;
      map[op.key] = op.value;
      return true;
    case "upsert":
      map[op.key] = op.value;
      return true;
    case "delete":
      if (!has) return false;
      delete map[op.key];
      return true;
    case "rename":
      if (!has) return false;
      renameInPlace(map, op.key, op.value);
      return true;
    case "hash": {
      if (!has) return false;
      const h = hashValue(map[op.key]);
      if (h === CANNOT) return false;
      map[op.key] = h;
      return true;
    }
    case "extract": {
      const v = map[op.key];
      if (typeof v !== "string") return false;
      const groups = op.pattern!.exec(v)?.groups;
      if (!groups) return false;
      for (const [name, g] of Object.entries(groups)) if (g !== undefined) map[name] = g;
      return true;
    }
    case "convert": {
      if (!has) return false;
      const c = convertValue(map[op.key], op.convertTo!);
      if (c === CANNOT) return false;
      map[op.key] = c;
      return true;
    }
  }
}

/** True for a plain JS object usable as a map. */
export function isMap(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof Uint8Array) {
    return false;
  }
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The map under `parent[key]`; created (empty) when missing and the action inserts.
 * Undefined when absent, or when something other than a map sits there.
 */
export function childMap(
  parent: Record<string, unknown>,
  key: string,
  options: { action: Action },
): Record<string, unknown> | undefined {
  const action = options.action;
  const v = parent[key];
  if (isMap(v)) return v;
  if ((v === undefined || v === null) && creates(action)) {
    const m: Record<string, unknown> = {};
    parent[key] = m;
    return m;
  }
  return undefined;
}
