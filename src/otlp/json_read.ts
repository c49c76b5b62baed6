/**
 * OTLP/JSON scalar readers: each takes a parsed JSON value and the path it came from,
 * returns the proto3 default for `null`/absent, and throws `OtlpDecodeError` for a value
 * of the wrong type. int64/fixed64 come back as bigint (decimal string or number accepted),
 * enums as integers (integer or name accepted), IDs as bytes from hex.
 */
import { errorMessage } from "../error_message.ts";
import { base64Decode } from "@bufbuild/protobuf/wire";
import { fail, jsonTypeName, OtlpDecodeError } from "./errors.ts";
import { idFromHex } from "./hex.ts";

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

const LONG_NUMBER = /[:,[]\s*-?\d{16,}/;
const INTEGER_TEXT = /^-?\d+$/;

/**
 * Parses OTLP/JSON text. Integers too large for a JS number (timestamps written as JSON
 * numbers) are kept exact as bigint, using the source text JSON.parse hands the reviver.
 */
export function parseJson(body: Uint8Array | string): unknown {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  try {
    if (!LONG_NUMBER.test(text)) return JSON.parse(text);
    return JSON.parse(text, exactIntegers);
  } catch (e) {
    throw new OtlpDecodeError("", `invalid JSON: ${errorMessage(e)}`, { cause: e });
  }
}

function exactIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source) {
    if (INTEGER_TEXT.test(context.source)) return BigInt(context.source);
  }
  return value;
}

/** The value as an object, `null` when absent or null; throws for any other type. */
export function jsonObject(value: unknown, path: string): JsonObject | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    fail(path, `expected an object, got ${jsonTypeName(value)}`);
  }
  return value as JsonObject;
}

/** The value as an array (empty when absent or null); throws for any other type. */
export function jsonArray(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(path, `expected an array, got ${jsonTypeName(value)}`);
  return value;
}

/** An array element that must be an object. */
export function jsonEntry(value: unknown, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(path, `expected an object, got ${jsonTypeName(value)}`);
  }
  return value as JsonObject;
}

/** A string field ("" when absent or null). */
export function jsonString(value: unknown, path: string): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  fail(path, `expected a string, got ${jsonTypeName(value)}`);
}

/** A bool field (false when absent or null). */
export function jsonBool(value: unknown, path: string): boolean {
  if (typeof value === "boolean") return value;
  if (value === undefined || value === null) return false;
  fail(path, `expected a boolean, got ${jsonTypeName(value)}`);
}

/** A 64-bit integer field as bigint, checked against `[min, max]`. */
function jsonBigint(value: unknown, path: string, min: bigint, max: bigint): bigint {
  let n: bigint;
  if (typeof value === "bigint") n = value;
  else if (typeof value === "number") {
    if (!Number.isInteger(value)) fail(path, `expected an integer, got ${value}`);
    n = BigInt(value);
  } else if (typeof value === "string") {
    if (!INTEGER_TEXT.test(value)) {
      fail(path, `expected an integer as a decimal string, got ${JSON.stringify(value)}`);
    }
    n = BigInt(value);
  } else if (value === undefined || value === null) return 0n;
  else fail(path, `expected an integer or a decimal string, got ${jsonTypeName(value)}`);
  if (n < min || n > max) fail(path, `integer out of range: ${n}`);
  return n;
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** A uint64/fixed64 field (timestamps, counts) as bigint. */
export function jsonUint64(value: unknown, path: string): bigint {
  return typeof value === "string" && value.length < 16 && INTEGER_TEXT.test(value) &&
      value[0] !== "-"
    ? BigInt(value)
    : jsonBigint(value, path, 0n, U64_MAX);
}

/** An int64/sfixed64 field as bigint. */
export function jsonInt64(value: unknown, path: string): bigint {
  return jsonBigint(value, path, I64_MIN, I64_MAX);
}

/** A 32-bit integer field (uint32, int32, sint32, fixed32) as a number. */
export function jsonInt32(value: unknown, path: string, unsigned = true): number {
  const n = Number(
    jsonBigint(value, path, unsigned ? 0n : -(1n << 31n), unsigned ? 0xffffffffn : 0x7fffffffn),
  );
  return n;
}

/** A double field: a number, a numeric string, or "NaN" / "Infinity" / "-Infinity". */
export function jsonDouble(value: unknown, path: string): number {
  if (typeof value === "number") return value;
  if (value === undefined || value === null) return 0;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") {
    if (value === "NaN") return NaN;
    if (value === "Infinity") return Infinity;
    if (value === "-Infinity") return -Infinity;
    const n = value.trim() === "" ? NaN : Number(value);
    if (Number.isFinite(n)) return n;
    fail(path, `expected a number, got ${JSON.stringify(value)}`);
  }
  fail(path, `expected a number, got ${jsonTypeName(value)}`);
}

/** An enum field: an integer, or one of `names` (OTLP/JSON says integers; names are accepted). */
export function jsonEnum(value: unknown, path: string, names: Record<string, number>): number {
  if (typeof value === "string" && !INTEGER_TEXT.test(value)) {
    const n = names[value];
    if (n === undefined || !Object.hasOwn(names, value)) {
      fail(path, `unknown enum value ${JSON.stringify(value)}`);
    }
    return n;
  }
  return jsonInt32(value, path, false);
}

/** A trace or span ID: hex (either case) per OTLP/JSON, empty when absent. */
export function jsonId(value: unknown, path: string): Uint8Array {
  return idFromHex(jsonString(value, path), path);
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** A bytes field as base64 (standard or URL-safe alphabet). */
export function jsonBytes(value: unknown, path: string): Uint8Array {
  const s = jsonString(value, path);
  if (!BASE64.test(s)) fail(path, `expected base64, got ${JSON.stringify(s)}`);
  return base64Decode(s);
}
