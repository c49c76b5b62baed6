/**
 * GELF 1.1 records, as Fluent Bit's `flb_msgpack_to_gelf` writes them: `version` first,
 * the configured keys renamed to `host`, `short_message`, `full_message`, `timestamp` and
 * `level` (syslog level names turned into numbers), every other key prefixed with `_`,
 * nested maps flattened (`_a_b`), arrays joined into one string, nulls left out, and the
 * record time as `timestamp` (seconds with milliseconds) when no key provides it. A record
 * without a short message cannot be sent.
 */
import { EventTime } from "../../../src/event/event_time.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";

/** Which record keys hold the GELF fields. */
export interface GelfFields {
  host?: string;
  shortMessage?: string;
  fullMessage?: string;
  timestamp?: string;
  level?: string;
}

const LEVELS = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];
const text = new TextDecoder();

function key(name: string): string {
  return JSON.stringify(name.replace(/[^A-Za-z0-9_.-]/g, "_"));
}

function scalar(v: unknown, quote: boolean): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return quote ? JSON.stringify(v) : v;
  if (typeof v === "boolean") return quote ? `"${v}"` : String(v);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(6);
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array) return scalar(text.decode(v), quote);
  if (v instanceof EventTime) return v.toSeconds().toFixed(6);
  return undefined;
}

/** A value inside an array: strings bare, maps as `k=v` pairs, joined with ", ". */
function inArray(v: unknown): string {
  if (Array.isArray(v)) return v.map(inArray).join(", ");
  if (
    v !== null && typeof v === "object" && !(v instanceof Uint8Array) && !(v instanceof EventTime)
  ) {
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}=${inArray(x)}`)
      .join(" ");
  }
  return scalar(v, false) ?? "null";
}

function flatten(out: string[], prefix: string, map: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(map)) {
    const name = `${prefix}_${k}`;
    if (
      v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array) &&
      !(v instanceof EventTime)
    ) {
      flatten(out, name, v as Record<string, unknown>);
    } else if (Array.isArray(v)) out.push(`${key(name)}:${JSON.stringify(inArray(v))}`);
    else {
      const s = scalar(v, true);
      if (s !== undefined) out.push(`${key(name)}:${s}`);
    }
  }
}

function level(v: unknown): unknown {
  if (typeof v !== "string") return v;
  if (/^[0-7]$/.test(v)) return Number(v);
  const n = LEVELS.indexOf(v.toLowerCase());
  return n >= 0 ? n : v;
}

/** One record as a GELF JSON object; throws RangeError when it has no short message. */
export function gelfRecord(record: LogRecord, fields: GelfFields = {}): string {
  const names = new Map<string, string>([
    [fields.host ?? "host", "host"],
    [fields.shortMessage ?? "short_message", "short_message"],
    [fields.timestamp ?? "timestamp", "timestamp"],
    [fields.level ?? "level", "level"],
    [fields.fullMessage ?? "full_message", "full_message"],
  ]);
  const seen = new Set<string>();
  const out = ['"version":"1.1"'];
  for (const [k, raw] of Object.entries(record.body)) {
    const std = names.get(k);
    if (std !== undefined && seen.has(std)) continue;
    if (std === undefined && k === "id") continue;
    if (std !== undefined) seen.add(std);
    const name = std ?? `_${k}`;
    const v = std === "level" ? level(raw) : raw;
    if (
      v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array) &&
      !(v instanceof EventTime)
    ) {
      flatten(out, `_${k}`, v as Record<string, unknown>);
    } else if (Array.isArray(v)) out.push(`${key(name)}:${JSON.stringify(inArray(v))}`);
    else {
      const s = scalar(v, true);
      if (s !== undefined) out.push(`${key(name)}:${s}`);
    }
  }
  if (!seen.has("timestamp")) {
    const t = record.time;
    out.push(`"timestamp":${t.sec}.${String(Math.floor(t.nsec / 1e6)).padStart(3, "0")}`);
  }
  if (!seen.has("short_message")) {
    throw new RangeError(
      `Cannot write a GELF record: it has no "${fields.shortMessage ?? "short_message"}" key`,
    );
  }
  return `{${out.join(",")}}`;
}

/** The records as GELF objects, one per line (group markers skipped). */
export function gelfRecords(records: readonly LogRecord[], fields: GelfFields = {}): string {
  let s = "";
  for (const r of records) if (!isGroupMarker(r)) s += gelfRecord(r, fields) + "\n";
  return s;
}
