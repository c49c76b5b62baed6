/**
 * Value conversion and hashing for `convert` and `hash`, following Fluent Bit's
 * rules (cm_utils.c): a string converts to boolean only from "true"/"false" (any
 * case; anything else is false), to int only when it is a whole decimal number in
 * the 32-bit range, to double from its leading number; numbers and booleans convert
 * by value; null is "null", false or 0; maps and lists do not convert. A double
 * becomes its shortest round-trip text (Fluent Bit prints 17 significant digits).
 * `hash` is the SHA-256 hex digest of the value's string form; an empty string stays.
 */
import { createHash } from "node:crypto";

/** The `converted_type` values. */
export type ConvertType = "string" | "boolean" | "int" | "double";

/** Returned when a value cannot be converted. */
export const CANNOT: unique symbol = Symbol("cannot convert");

const INT32_MIN = -2_147_483_648;
const UINT32_MAX = 4_294_967_295;
const decoder = new TextDecoder();

function cRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function fromString(s: string, to: ConvertType): unknown {
  switch (to) {
    case "string":
      return s;
    case "boolean":
      return s.length === 4 && s.toLowerCase() === "true";
    case "int": {
      if (/^-\d+$/.test(s)) {
        const n = Number(s);
        return n >= INT32_MIN ? n : CANNOT;
      }
      if (/^\s*\+?\d+$/.test(s)) {
        const n = Number(s.trim());
        return n <= UINT32_MAX ? n : CANNOT;
      }
      return CANNOT;
    }
    case "double": {
      const n = parseFloat(s);
      return Number.isNaN(n) ? CANNOT : n;
    }
  }
}

/**
 * `value` converted to `to`, or {@link CANNOT}.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(convertValue("100", "int"), 100);
 * assertEquals(convertValue("yes", "boolean"), false); // as Fluent Bit: only "true" is true
 * ```
 */
export function convertValue(value: unknown, to: ConvertType): unknown {
  if (typeof value === "string") return fromString(value, to);
  if (value instanceof Uint8Array) return fromString(decoder.decode(value), to);
  if (typeof value === "number") {
    if (to === "string") return String(value);
    if (to === "boolean") return value !== 0;
    if (to === "int") return Number.isInteger(value) ? value : cRound(value);
    return value;
  }
  if (typeof value === "bigint") {
    if (to === "string") return value.toString();
    if (to === "boolean") return value !== 0n;
    if (to === "int") return value;
    return Number(value);
  }
  if (typeof value === "boolean") {
    if (to === "string") return value ? "true" : "false";
    if (to === "boolean") return value;
    return value ? 1 : 0;
  }
  if (value === null) {
    if (to === "string") return "null";
    if (to === "boolean") return false;
    return 0;
  }
  return CANNOT;
}

/** The SHA-256 hex digest of `text`. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The hashed form of a value: SHA-256 hex of its string form; an empty string is
 * left as it is; {@link CANNOT} for maps and lists.
 */
export function hashValue(value: unknown): unknown {
  const s = convertValue(value, "string");
  if (s === CANNOT) return CANNOT;
  if (s === "") return value;
  return sha256Hex(s as string);
}
