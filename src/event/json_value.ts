/**
 * JSON text of record values as Fluent Bit's outputs write it: compact (`,` and `:`
 * without spaces), binary as a UTF-8 string, EventTime as a double, bigint as a
 * number, NaN as `nan` (or `null` with `json.convert_nan_to_null`), infinities as
 * `inf`/`-inf`, and non-ASCII characters escaped as `\uXXXX` when
 * `json.escape_unicode` is on (the default).
 *
 * Numbers other than the time are written the way JavaScript writes them (shortest
 * exact form): integral floats read from msgpack lose their `.0`, and values that
 * need 17 digits keep them where Fluent Bit rounds to 16.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(jsonValue({ msg: "hé", n: 10n }), '{"msg":"hé","n":10}');
 * ```
 */
import { EventTime } from "./event_time.ts";

/** Options for {@link jsonValue}. */
export interface JsonValueOptions {
  /** Write NaN as `null` (Fluent Bit's `json.convert_nan_to_null`); otherwise `nan`. */
  convertNanToNull?: boolean;
}

const utf8 = new TextDecoder();

/**
 * `x.toFixed(digits)` rounded as glibc's printf rounds: an exact tie goes to the even
 * digit (JavaScript's toFixed rounds it away from zero). A tie needs `x` to have at most
 * `digits + 1` fractional bits, so it is rare outside values such as 0.125 or 2.5.
 */
export function toFixedEven(x: number, digits: number): string {
  const s = x.toFixed(digits);
  if (!Number.isInteger(x * 2 ** (digits + 1)) || Number.isInteger(x * 2 ** digits)) return s;
  const exact = x.toFixed(digits + 1); // exact: x has at most digits + 1 fractional digits
  if (exact.charCodeAt(exact.length - 1) !== 53) return s; // last digit is not '5'
  const down = exact.slice(0, digits === 0 ? -2 : -1);
  return (down.charCodeAt(down.length - 1) - 48) % 2 === 0 ? down : s;
}

/**
 * A double as C's `%.16g` writes it, with `.0` on integral values: the form Fluent
 * Bit gives the `date` key and any msgpack float.
 */
export function formatDouble(d: number): string {
  if (!Number.isFinite(d)) return Number.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
  if (Number.isInteger(d) && Math.abs(d) < 2 ** 63) return d.toFixed(1);
  // %.16g: the exponent of d rounded to 16 significant digits picks the notation.
  const e = d.toExponential(15);
  const at = e.indexOf("e");
  const exp = Number(e.slice(at + 1));
  if (exp < -4 || exp >= 16) {
    const mantissa = stripZeros(e.slice(0, at));
    const digits = String(Math.abs(exp)).padStart(2, "0");
    return `${mantissa}e${exp < 0 ? "-" : "+"}${digits}`;
  }
  return stripZeros(toFixedEven(d, 15 - exp));
}

const TWO_32 = 0x1_0000_0000;
const ZEROS = "000000";

/**
 * {@link formatDouble} of `sec + nsec / 1e9` (the record time as Fluent Bit's double),
 * fast for 10-digit seconds below 2^32 (2001 to 2106), where `%.16g` keeps six decimals.
 * The double's fraction has at most 23 bits there, so it is rounded to microseconds
 * exactly in integer arithmetic (ties to even, as printf does).
 */
export function formatTimeDouble(sec: number, nsec: number): string {
  const d = sec + nsec / 1e9;
  if (!(sec >= 1e9 && sec < TWO_32)) return formatDouble(d);
  const k = (d - sec) * TWO_32; // exact: the fraction is a multiple of 2^-23
  if (k === 0 || k === TWO_32) return d + ".0"; // the double itself is integral
  const num = k * 1e6; // exact: below 2^53
  let us = Math.floor(num / TWO_32);
  const rem = num - us * TWO_32;
  if (rem > TWO_32 / 2 || (rem === TWO_32 / 2 && us % 2 === 1)) us++;
  if (us === 0) return String(sec);
  if (us === 1_000_000) return String(sec + 1);
  let digits = 6;
  while (us % 10 === 0) {
    us /= 10;
    digits--;
  }
  const frac = String(us);
  return sec + "." + ZEROS.slice(0, digits - frac.length) + frac;
}

function stripZeros(s: string): string {
  if (s.indexOf(".") === -1) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--; // '0'
  if (s.charCodeAt(end - 1) === 46) end--; // '.'
  return s.slice(0, end);
}

/** True when `JSON.stringify(v)` already gives Fluent Bit's text for `v`. */
function isPlain(v: unknown): boolean {
  switch (typeof v) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(v);
    case "object": {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!isPlain(v[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        if (typeof x !== "string" && !isPlain(x)) return false; // strings inline: most values
      }
      return true;
    }
    default:
      return false;
  }
}

function numberText(n: number, nanToNull: boolean): string {
  if (Number.isFinite(n)) return String(n);
  if (Number.isNaN(n)) return nanToNull ? "null" : "nan";
  return n > 0 ? "inf" : "-inf";
}

function write(v: unknown, nanToNull: boolean): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return numberText(v, nanToNull);
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "object":
      return writeObject(v, nanToNull);
    default:
      return "null"; // undefined is msgpack nil
  }
}

function writeObject(v: object | null, nanToNull: boolean): string {
  if (v === null) return "null";
  if (Array.isArray(v)) {
    let s = "[";
    for (let i = 0; i < v.length; i++) s += (i === 0 ? "" : ",") + write(v[i], nanToNull);
    return s + "]";
  }
  if (v instanceof Uint8Array) return JSON.stringify(utf8.decode(v));
  if (v instanceof EventTime) return formatTimeDouble(v.sec, v.nsec);
  if (v instanceof Date) return JSON.stringify(v);
  const entries: Iterable<[unknown, unknown]> = v instanceof Map ? v.entries() : Object.entries(v);
  let s = "{";
  let first = true;
  for (const [k, x] of entries) {
    s += (first ? "" : ",") + JSON.stringify(String(k)) + ":" + write(x, nanToNull);
    first = false;
  }
  return s + "}";
}

/** JSON text of `v` with non-ASCII characters left as they are (see {@link escapeUnicode}). */
export function jsonValue(v: unknown, options?: JsonValueOptions): string {
  return isPlain(v) ? JSON.stringify(v) : write(v, options?.convertNanToNull === true);
}

/** The key {@link bodyJson} saw last, and its JSON text with the `:` after it. */
let lastKey = "log";
let lastKeyColon = '"log":';

/**
 * The JSON text of a one-key body with a string value after its `{` (`"k":"v"}`), or
 * undefined for any other body.
 */
function rawLineRest(body: Record<string, unknown>): string | undefined {
  let key: string | undefined;
  for (const k in body) {
    if (key !== undefined) return undefined;
    key = k;
  }
  if (key === undefined) return undefined;
  const v = body[key];
  if (typeof v !== "string") return undefined;
  const proto = Object.getPrototypeOf(body);
  if (proto !== Object.prototype && proto !== null) return undefined;
  if (key !== lastKey) {
    lastKey = key;
    lastKeyColon = JSON.stringify(key) + ":";
  }
  return lastKeyColon + JSON.stringify(v) + "}";
}

/**
 * {@link jsonValue} of a record body, the same text, made a quarter faster for the body
 * of a raw line: one key with a string value (what tail, stdin and the raw network inputs
 * make), written as the key's cached JSON and `JSON.stringify` of the value alone.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(bodyJson({ log: 'a "b"' }), '{"log":"a \\"b\\""}');
 * assertEquals(bodyJson({ n: 1, s: "x" }), '{"n":1,"s":"x"}');
 * ```
 */
export function bodyJson(body: Record<string, unknown>, options?: JsonValueOptions): string {
  const rest = rawLineRest(body);
  return rest === undefined ? jsonValue(body, options) : "{" + rest;
}

/**
 * {@link bodyJson} without its opening `{` (`}` alone for an empty body), for writers that
 * put their own keys first: no per-record string is sliced.
 */
export function bodyJsonAfterBrace(
  body: Record<string, unknown>,
  options?: JsonValueOptions,
): string {
  return rawLineRest(body) ?? jsonValue(body, options).slice(1);
}

export { encodeJsonText, escapeJsonText, escapeUnicode, Utf8TextBuilder } from "./json_text.ts";

function hex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, "0");
  return s;
}

function telemetryReplacer(_key: string, v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array) return hex(v);
  return v;
}

/**
 * A span or metric as one line of JSON, for outputs that print traces and metrics:
 * bigint (int64 and nanosecond times) as decimal strings, byte arrays (trace and span
 * IDs) as lowercase hex, non-ASCII left unescaped.
 */
export function telemetryJson(v: unknown): string {
  return JSON.stringify(v, telemetryReplacer);
}
