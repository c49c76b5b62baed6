/**
 * Values as msgpack-c's `msgpack_object_print` writes them, which Fluent Bit uses for
 * the `stdout` output's default format and the `file` output's csv, ltsv and template
 * formats: maps `{"k"=>v, ...}`, arrays `[a, b]`, strings quoted but not escaped,
 * `nil`, floats with six decimals (`%f`), binary with `\xNN` for unprintable bytes,
 * and an ext value as `(ext: TYPE)"bytes"`.
 *
 * JS numbers do not say whether msgpack held an integer or a float, so integral
 * numbers print as integers (`1`, where Fluent Bit prints a float 1.0 as `1.000000`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(printValue({ message: "dummy", n: 1.5 }), '{"message"=>"dummy", "n"=>1.500000}');
 * ```
 */
import { EventTime } from "./event_time.ts";
import { toFixedEven } from "./json_value.ts";
import { eventTimeBytes } from "./msgpack.ts";

/** C's `%f`: six decimals, `nan`, `inf` and `-inf`. */
export function formatFixed6(n: number): string {
  if (Number.isFinite(n)) return toFixedEven(n, 6);
  return Number.isNaN(n) ? "nan" : n > 0 ? "inf" : "-inf";
}

/** Bytes as msgpack-c prints binary: printable ASCII as is, `"` escaped, the rest `\xNN`. */
export function printBinary(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x22) s += '\\"';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += "\\x" + b.toString(16).padStart(2, "0");
  }
  return s;
}

function printNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? String(n) : formatFixed6(n);
}

function printEventTime(t: EventTime): string {
  let data: Uint8Array;
  try {
    data = eventTimeBytes(t);
  } catch {
    return `${t.sec}.${String(t.nsec).padStart(9, "0")}`;
  }
  return `(ext: 0)"${printBinary(data)}"`;
}

/** One value in msgpack-c's print form. */
export function printValue(v: unknown): string {
  switch (typeof v) {
    case "string":
      return '"' + v + '"';
    case "number":
      return printNumber(v);
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "object":
      return printObject(v);
    default:
      return "nil";
  }
}

function printObject(v: object | null): string {
  if (v === null) return "nil";
  if (Array.isArray(v)) {
    let s = "[";
    for (let i = 0; i < v.length; i++) s += (i === 0 ? "" : ", ") + printValue(v[i]);
    return s + "]";
  }
  if (v instanceof Uint8Array) return '"' + printBinary(v) + '"';
  if (v instanceof EventTime) return printEventTime(v);
  if (v instanceof Date) return '"' + v.toISOString() + '"';
  const entries: Iterable<[unknown, unknown]> = v instanceof Map ? v.entries() : Object.entries(v);
  let s = "{";
  let first = true;
  for (const [k, x] of entries) {
    s += (first ? "" : ", ") + printValue(k) + "=>" + printValue(x);
    first = false;
  }
  return s + "}";
}
