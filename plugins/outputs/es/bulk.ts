/**
 * The `_bulk` body of a chunk, as Fluent Bit's es output writes it: per record an action
 * line (`{"create":{"_index":"...","_type":"_doc"}}`, with `_id` from `id_key` or
 * `generate_id`) and a document line whose first key is the time key, then the tag key,
 * then the record's keys (dots replaced with `replace_dots`). `items` maps each bulk item
 * back to its record, so the answer's per-item statuses can be told apart; records that
 * cannot be written (an update without an id) are returned as `refused`.
 */
import type { EventTime } from "../../../src/event/event_time.ts";
import { isGroupMarker, type LogRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { encodeValue } from "../../../src/event/msgpack.ts";
import { type RecordAccessor, valueText } from "../../../src/event/record_accessor.ts";
import { jsonValue, Utf8TextBuilder } from "../../../src/event/json_value.ts";
import { esDocumentId } from "./murmur3.ts";
import { strftimeCache } from "../../../src/event/strftime.ts";

/** How records become bulk items (derived once from the options). */
export interface BulkSettings {
  /** The action name: create, index or update. */
  action: "create" | "index" | "update";
  /** How an update's document is wrapped. */
  wrap: "none" | "doc" | "upsert";
  /** `index`, strftime-expanded with the flush time. */
  index: string;
  /** `_type`, or undefined with suppress_type_name. */
  type?: string;
  /** Logstash-style daily indexes, when on. */
  logstash?: {
    prefix: string;
    separator: string;
    dateFormat: string;
    prefixKey?: RecordAccessor;
  };
  timeKey: string;
  timeKeyFormat: string;
  timeKeyNanos: boolean;
  /** The tag field's name, with include_tag_key. */
  tagKey?: string;
  replaceDots: boolean;
  generateId: boolean;
  idKey?: RecordAccessor;
  currentTimeIndex: boolean;
  escapeUnicode: boolean;
}

/** One request body and what its items are. */
export interface BulkBody {
  body: Uint8Array;
  /** For each bulk item in order, the index of its record in the chunk. */
  items: number[];
  /** Records left out, with why. */
  refused: { index: number; reason: string }[];
  /** Warnings for the log (an id_key value missing), one per kind. */
  warnings: string[];
}

/** True when `s` can go into an action line as is (Fluent Bit's check, kept). */
export function safeActionValue(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

function hasDot(map: RecordMap): boolean {
  for (const k in map) {
    if (k.indexOf(".") !== -1) return true;
    const v = map[k];
    if (v !== null && typeof v === "object" && needsDots(v)) return true;
  }
  return false;
}

function needsDots(v: object): boolean {
  if (Array.isArray(v)) return v.some((x) => x !== null && typeof x === "object" && needsDots(x));
  if (ArrayBuffer.isView(v) || v instanceof Map) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  return hasDot(v as RecordMap);
}

function undot(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(undot);
  if (ArrayBuffer.isView(v) || v instanceof Map) return v;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const out: RecordMap = {};
  for (const [k, x] of Object.entries(v)) out[k.replaceAll(".", "_")] = undot(x);
  return out;
}

/** The record body with dots in keys replaced, at every depth (the same object when none). */
export function replaceDots(body: RecordMap): RecordMap {
  return hasDot(body) ? undot(body) as RecordMap : body;
}

/**
 * The msgpack bytes of a map of `pairs` (key, value, key, value...) in that order, a key
 * repeated as given: the document exactly as Fluent Bit packs it before hashing.
 */
export function packMap(pairs: readonly unknown[]): Uint8Array {
  const n = pairs.length / 2;
  const head = n < 16
    ? [0x80 | n]
    : n < 0x10000
    ? [0xde, n >> 8, n & 0xff]
    : [0xdf, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const parts = pairs.map((p) => encodeValue(p));
  const out = new Uint8Array(head.length + parts.reduce((a, p) => a + p.length, 0));
  out.set(head);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Makes bulk bodies for one output's settings. */
export class BulkEncoder {
  readonly #s: BulkSettings;
  readonly #timeText: (sec: number) => string;
  readonly #dateText?: (sec: number) => string;
  readonly #indexText: (sec: number) => string;
  readonly #typePart: string;
  #lastSec = Number.NaN;
  #lastFrac = -1;
  #lastText = "";
  /** The time format cannot produce characters JSON must escape. */
  readonly #plainTime: boolean;

  constructor(settings: BulkSettings) {
    this.#s = settings;
    this.#timeText = strftimeCache(settings.timeKeyFormat);
    if (settings.logstash) this.#dateText = strftimeCache(settings.logstash.dateFormat);
    this.#indexText = strftimeCache(settings.index);
    this.#typePart = settings.type === undefined ? "" : `,"_type":${JSON.stringify(settings.type)}`;
    this.#plainTime = safeActionValue(settings.timeKeyFormat) &&
      !/%[nt]/.test(settings.timeKeyFormat);
  }

  /** The time field's text for `t`: `2023-11-14T22:13:20.123Z`. */
  timestamp(t: EventTime): string {
    const frac = this.#s.timeKeyNanos ? t.nsec : Math.floor(t.nsec / 1e6);
    if (t.sec === this.#lastSec && frac === this.#lastFrac) return this.#lastText;
    const digits = this.#s.timeKeyNanos ? 9 : 3;
    this.#lastSec = t.sec;
    this.#lastFrac = frac;
    this.#lastText = `${this.#timeText(t.sec)}.${String(frac).padStart(digits, "0")}Z`;
    return this.#lastText;
  }

  #indexOf(record: LogRecord, now: EventTime): string {
    const s = this.#s;
    const t = s.currentTimeIndex ? now : record.time;
    const ls = s.logstash;
    if (!ls) return this.#indexText(now.sec);
    let prefix = ls.prefix;
    if (ls.prefixKey) {
      const v = valueText(ls.prefixKey.get(record.body));
      if (v !== undefined && safeActionValue(v)) prefix = v.length > 128 ? v.slice(0, 128) : v;
    }
    return `${prefix}${ls.separator}${this.#dateText!(t.sec)}`;
  }

  /** The bulk body of `records` with `tag`, indexes dated by `now` where they use flush time. */
  encode(records: readonly LogRecord[], tag: string, now: EventTime): BulkBody {
    const s = this.#s;
    const out = new Utf8TextBuilder({ json: true, escapeUnicode: s.escapeUnicode });
    const items: number[] = [];
    const refused: { index: number; reason: string }[] = [];
    const warnings = new Set<string>();
    const tagPart = s.tagKey === undefined
      ? ""
      : `,${JSON.stringify(s.tagKey)}:${JSON.stringify(tag)}`;
    let lastIndex: string | undefined;
    let lastAction = "";
    const timeName = JSON.stringify(s.timeKey);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (isGroupMarker(r)) continue;
      const body = s.replaceDots ? replaceDots(r.body) : r.body;
      const ts = this.timestamp(r.time);
      // A record that has the time or tag key already keeps its own, at its own place, as
      // Fluent Bit's JSON writer does (the last of a repeated key wins).
      const ownTime = s.timeKey in body;
      const ownTag = s.tagKey !== undefined && s.tagKey in body;
      let id: string | undefined;
      if (s.idKey) {
        const v = s.idKey.get(r.body);
        if (typeof v === "string" && safeActionValue(v)) id = v;
        else {
          const why = v === undefined
            ? `the value of ${s.idKey.pattern} is missing`
            : typeof v !== "string"
            ? `the value of ${s.idKey.pattern} is not string`
            : `the value of ${s.idKey.pattern} cannot go into an action line`;
          warnings.add(why);
          if (s.action === "update") {
            refused.push({ index: i, reason: `${why}: an update needs an _id` });
            continue;
          }
        }
      } else if (s.generateId) {
        // Hashed as Fluent Bit packs it, a repeated key included.
        const pairs: unknown[] = [s.timeKey, ts];
        if (s.tagKey !== undefined) pairs.push(s.tagKey, tag);
        for (const k in body) pairs.push(k, body[k]);
        id = esDocumentId(packMap(pairs));
      }
      const index = this.#indexOf(r, now);
      let action: string;
      if (id === undefined) {
        // Records of a chunk mostly share their index: one action line for the run.
        if (index !== lastIndex) {
          lastIndex = index;
          lastAction = `{"${s.action}":{"_index":${JSON.stringify(index)}${this.#typePart}}}\n`;
        }
        action = lastAction;
      } else {
        action = `{"${s.action}":{"_index":${JSON.stringify(index)}${this.#typePart},"_id":${
          JSON.stringify(id)
        }}}\n`;
      }
      const fields = jsonValue(body);
      let doc: string;
      if (!ownTime && !ownTag) {
        doc = `{${timeName}:${this.#plainTime ? `"${ts}"` : JSON.stringify(ts)}${tagPart}`;
        doc += fields.length > 2 ? "," + fields.slice(1) : "}";
      } else {
        const head = (ownTime ? "" : `,${timeName}:${JSON.stringify(ts)}`) +
          (ownTag ? "" : tagPart);
        doc = head === ""
          ? fields
          : `{${head.slice(1)}${fields.length > 2 ? "," + fields.slice(1) : "}"}`;
      }
      if (s.wrap === "doc") doc = `{"doc":${doc}}`;
      else if (s.wrap === "upsert") doc = `{"doc_as_upsert":true,"doc":${doc}}`;
      out.add(action + doc + "\n");
      items.push(i);
    }
    return { body: out.finish(), items, refused, warnings: [...warnings] };
  }
}
