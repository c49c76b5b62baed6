/**
 * The log line of one record as Fluent Bit's out_loki writes it: the body without the
 * removed keys, as compact JSON (`line_format json`) or `k=v` pairs (`key_value`), or the
 * single value left (`drop_single_key`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const line = compileLine({ format: "key_value", dropSingleKey: "off", remove: [] });
 * assertEquals(line({ a: "x", n: 1, ok: true }), 'a="x" n=1 ok=true');
 * ```
 */
import { compileAccessor, isRecordMap } from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { escapeJsonText, formatDouble, jsonValue } from "../../../src/event/json_value.ts";

/** `drop_single_key` values. */
export type DropSingleKey = "off" | "on" | "raw";

/** How lines are written. */
export interface LineOptions {
  format: "json" | "key_value";
  dropSingleKey: DropSingleKey;
  /** Record accessor patterns removed from the line (remove_keys and label keys). */
  remove: readonly string[];
  /** Write NaN as null in json lines. */
  convertNanToNull?: boolean;
  /**
   * Escape non-ASCII characters in json lines as `\uXXXX` (`json.escape_unicode`), as
   * Fluent Bit does before the line is put in the (escaped again) push body.
   */
  escapeUnicode?: boolean;
}

/** Parses `drop_single_key`: raw, or a boolean; undefined when it is neither. */
export function parseDropSingleKey(raw: string): DropSingleKey | undefined {
  const v = raw.trim().toLowerCase();
  if (v === "raw") return "raw";
  if (["on", "true", "yes", "1"].includes(v)) return "on";
  if (["off", "false", "no", "0"].includes(v)) return "off";
  return undefined;
}

/** A copy of `body` without the entries at `paths` (copying only the maps on the way). */
export function removePaths(
  body: RecordMap,
  paths: readonly (readonly (string | number)[])[],
): RecordMap {
  let out = body;
  let copied = false;
  for (const path of paths) {
    if (!hasPath(out, path)) continue;
    if (!copied) {
      out = { ...out };
      copied = true;
    }
    removeCopied(out, path, 0);
  }
  return out;
}

function hasPath(map: RecordMap, path: readonly (string | number)[]): boolean {
  let at: unknown = map;
  for (const step of path) {
    if (typeof step === "number") {
      if (!Array.isArray(at) || step >= at.length) return false;
      at = at[step];
    } else {
      if (!isRecordMap(at) || !Object.hasOwn(at, step)) return false;
      at = at[step];
    }
  }
  return true;
}

/** Removes `path` from `container`, which is already a private copy. */
function removeCopied(
  container: RecordMap | unknown[],
  path: readonly (string | number)[],
  i: number,
): void {
  const step = path[i]!;
  const last = i === path.length - 1;
  if (Array.isArray(container)) {
    if (typeof step !== "number") return;
    if (last) {
      container.splice(step, 1);
      return;
    }
    const child = container[step];
    const copy = Array.isArray(child) ? [...child] : { ...(child as RecordMap) };
    container[step] = copy;
    removeCopied(copy, path, i + 1);
    return;
  }
  if (typeof step !== "string") return;
  if (last) {
    delete container[step];
    return;
  }
  const child = container[step];
  const copy = Array.isArray(child) ? [...child] : { ...(child as RecordMap) };
  container[step] = copy;
  removeCopied(copy, path, i + 1);
}

/** A value in `key_value` lines: strings quoted without escaping, lists and maps Go-style. */
export function keyValueText(v: unknown): string {
  if (typeof v === "string") return `"${v}"`;
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : formatDouble(v);
  if (v instanceof Uint8Array) return `"${new TextDecoder().decode(v)}"`;
  if (Array.isArray(v)) return `"[${v.map(keyValueText).join(" ")}]"`;
  if (isRecordMap(v)) {
    const parts = Object.entries(v).map(([k, x]) => `${k}:${keyValueText(x)}`);
    return `"map[${parts.join(" ")}]"`;
  }
  return "";
}

/** The line writer for `options`. */
export function compileLine(options: LineOptions): (body: RecordMap) => string {
  const paths = options.remove.map((p) => compileAccessor(p.startsWith("$") ? p : `$${p}`).path);
  const unicode = options.escapeUnicode === true;
  const json = (v: unknown) =>
    escapeJsonText(jsonValue(v, { convertNanToNull: options.convertNanToNull }), unicode);
  return (body) => {
    const rest = paths.length > 0 ? removePaths(body, paths) : body;
    if (options.dropSingleKey !== "off") {
      const keys = Object.keys(rest);
      if (keys.length === 1) {
        const v = rest[keys[0]!];
        if (options.format === "key_value") return typeof v === "string" ? v : keyValueText(v);
        if (typeof v === "string" && options.dropSingleKey === "raw") return v;
        return json(v);
      }
    }
    if (options.format === "json") return json(rest);
    let line = "";
    for (const [k, v] of Object.entries(rest)) {
      line += (line === "" ? "" : " ") + `${k}=${keyValueText(v)}`;
    }
    return line;
  };
}
