/**
 * Request bodies of the http input turned into record bodies, as Fluent Bit's `in_http`
 * reads them: JSON (an object, an array of objects, or concatenated objects such as
 * NDJSON), `application/x-www-form-urlencoded`, and (a sluice extension) msgpack: maps,
 * arrays of maps, or Fluent Bit events `[time, map]` / `[[time, metadata], map]`.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { isRecordMap } from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { decodeMulti } from "../../../src/event/msgpack.ts";

/** A body that cannot be read as records (answered 400 and counted). */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayloadError";
  }
}

/** The body formats the input reads. */
export type PayloadFormat = "json" | "urlencoded" | "msgpack";

/** One record: its body and, for msgpack events, its own time and metadata. */
export interface Entry {
  body: RecordMap;
  time?: EventTime;
  metadata?: RecordMap;
}

/** The format of a Content-Type (parameters ignored); null when unsupported. */
export function payloadFormat(contentType: string): PayloadFormat | null {
  const [mediaType = ""] = contentType.split(";");
  const type = mediaType.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-www-form-urlencoded") return "urlencoded";
  if (type === "application/msgpack" || type === "application/x-msgpack") return "msgpack";
  return null;
}

function mapOrFail(value: unknown, where: string): RecordMap {
  if (!isRecordMap(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
    throw new PayloadError(`${where} is a ${kind}, expected a map`);
  }
  return value;
}

/** Ends of the top-level JSON values in `text` (objects, arrays), for `{..}{..}` bodies. */
function splitConcatenated(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (depth++ === 0) start = i;
    } else if (c === 125 || c === 93) {
      if (--depth === 0) out.push(text.slice(start, i + 1));
      if (depth < 0) throw new PayloadError("Invalid JSON: unbalanced brackets");
    } else if (depth === 0 && c !== 32 && c !== 10 && c !== 13 && c !== 9) {
      throw new PayloadError(`Invalid JSON: unexpected "${text[i]}" at offset ${i}`);
    }
  }
  if (depth !== 0 || inString) throw new PayloadError("Invalid JSON: the data is incomplete");
  return out;
}

function fromJson(text: string): Entry[] {
  let values: unknown[];
  try {
    values = [JSON.parse(text)];
  } catch (e) {
    const parts = splitConcatenated(text);
    if (parts.length < 2) throw new PayloadError(`Invalid JSON: ${errorMessage(e)}`);
    try {
      values = parts.map((p) => JSON.parse(p));
    } catch (e2) {
      throw new PayloadError(`Invalid JSON: ${(e2 as Error).message}`);
    }
  }
  const out: Entry[] = [];
  for (const v of values) {
    if (Array.isArray(v)) {
      // Fluent Bit stops after the first top-level array.
      for (let i = 0; i < v.length; i++) out.push({ body: mapOrFail(v[i], `element ${i}`) });
      break;
    }
    out.push({ body: mapOrFail(v, "the JSON value") });
  }
  return out;
}

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

function fromUrlencoded(text: string): Entry[] {
  const body: RecordMap = {};
  for (const pair of text.split("&")) {
    const eq = pair.indexOf("=");
    if (eq === -1) continue;
    body[decodeComponent(pair.slice(0, eq)).trim()] = decodeComponent(pair.slice(eq + 1)).trim();
  }
  return [{ body }];
}

function eventOf(v: unknown[]): Entry | null {
  if (v.length !== 2 || !isRecordMap(v[1])) return null;
  const head = v[0];
  if (head instanceof EventTime) return { time: head, body: v[1] };
  if (typeof head === "number") return { time: EventTime.fromSeconds(head), body: v[1] };
  if (Array.isArray(head) && head.length === 2 && head[0] instanceof EventTime) {
    return { time: head[0], metadata: isRecordMap(head[1]) ? head[1] : {}, body: v[1] };
  }
  return null;
}

function fromMsgpack(bytes: Uint8Array): Entry[] {
  const out: Entry[] = [];
  try {
    for (const v of decodeMulti(bytes)) {
      if (Array.isArray(v)) {
        const event = eventOf(v);
        if (event !== null) out.push(event);
        else for (let i = 0; i < v.length; i++) out.push({ body: mapOrFail(v[i], `element ${i}`) });
      } else out.push({ body: mapOrFail(v, "the msgpack value") });
    }
  } catch (e) {
    if (e instanceof PayloadError) throw e;
    throw new PayloadError(`Invalid msgpack: ${errorMessage(e)}`);
  }
  return out;
}

/** The records of a body; throws {@link PayloadError}. */
export function parsePayload(bytes: Uint8Array, format: PayloadFormat): Entry[] {
  if (format === "msgpack") return fromMsgpack(bytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new PayloadError("The body is not valid UTF-8");
  }
  return format === "json" ? fromJson(text) : fromUrlencoded(text);
}
