/**
 * Fluent Bit's `flb_typecast`: the conversions type_converter applies, from int, uint,
 * float or string to another type. A conversion that fails gives undefined.
 */

/** The types a rule names. */
export type CastType = "int" | "uint" | "float" | "hex" | "string" | "bool";

const TYPES: readonly CastType[] = ["int", "uint", "float", "hex", "string", "bool"];

/**
 * The type `name` stands for, compared case-insensitively up to its own length as Fluent
 * Bit does (`in`, `str` and `flo` are accepted, `integer` is not); undefined when none.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals([castType("str"), castType("FLOAT"), castType("integer")], ["string", "float", undefined]);
 * ```
 */
export function castType(name: string): CastType | undefined {
  const lower = name.toLowerCase();
  return TYPES.find((t) => t.slice(0, lower.length) === lower && lower.length <= t.length);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint as a JS number when exact, else kept as a bigint. */
function exact(n: bigint): number | bigint {
  return n >= SAFE_MIN && n <= SAFE_MAX ? Number(n) : n;
}

function isInt(v: unknown): v is number | bigint {
  return typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));
}

/** `printf("%.1f")` for whole floats, else `%.16g`, as Fluent Bit writes a float. */
export function floatText(x: number): string {
  if (Number.isInteger(x)) return x.toFixed(1);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const p = x.toPrecision(16);
  if (p.includes("e")) {
    const [m, e] = p.split("e") as [string, string];
    const mant = m.includes(".") ? m.replace(/\.?0+$/, "") : m;
    const exp = Number(e);
    return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return p.includes(".") ? p.replace(/\.?0+$/, "") : p;
}

/** C's `strtoimax`/`strtoumax`: leading spaces, a sign, digits of `base`; 0n when none. */
function strtoint(s: string, base: 10 | 16): bigint {
  const m = base === 10
    ? /^[\s]*([+-]?)(\d+)/.exec(s)
    : /^[\s]*([+-]?)(?:0[xX])?([0-9a-fA-F]+)/.exec(s);
  if (!m) return 0n;
  const digits = m[2]!;
  const v = base === 10 ? BigInt(digits) : BigInt(`0x${digits}`);
  return m[1] === "-" ? -v : v;
}

/** C's `atof`: the longest leading decimal number, 0 when none. */
function atof(s: string): number {
  const m = /^\s*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)/i
    .exec(s);
  if (!m) return 0;
  const t = m[0].trim().toLowerCase();
  if (t.endsWith("inf") || t.endsWith("infinity")) return t.startsWith("-") ? -Infinity : Infinity;
  if (t.endsWith("nan")) return NaN;
  return Number(t);
}

/**
 * Converts `value`, read under a rule of source type `from`, to `to`; undefined when the
 * source has the wrong type or the conversion fails.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(typecast("int", "string", 123), "123");
 * assertEquals(typecast("string", "int", "42"), 42);
 * assertEquals(typecast("string", "int", "0"), undefined); // Fluent Bit takes 0 for an error
 * assertEquals(typecast("float", "string", 2), "2.0");
 * assertEquals(typecast("string", "bool", "TRUE"), true);
 * ```
 */
export function typecast(from: CastType, to: CastType, value: unknown): unknown {
  switch (from) {
    case "int":
    case "uint": {
      if (!isInt(value)) return undefined;
      const n = BigInt(value);
      if (to === "string") {
        return from === "uint" && n < 0n ? String(BigInt.asUintN(64, n)) : String(n);
      }
      if (to === "float") return Number(n);
      if (to === "uint" && from === "int") return exact(BigInt.asUintN(64, n));
      if (to === "int" && from === "uint") return exact(BigInt.asIntN(64, n));
      return undefined;
    }
    case "float": {
      if (typeof value !== "number") return undefined;
      if (to === "string") return floatText(value);
      if (to === "int" || to === "uint") {
        if (!Number.isFinite(value)) return undefined;
        const n = BigInt(Math.trunc(value));
        return exact(to === "int" ? BigInt.asIntN(64, n) : BigInt.asUintN(64, n));
      }
      return undefined;
    }
    case "string":
      return typeof value === "string" ? fromString(to, value) : undefined;
    default:
      return undefined;
  }
}

function fromString(to: CastType, s: string): unknown {
  switch (to) {
    case "int": {
      let n = strtoint(s, 10);
      if (n < INT64_MIN) n = INT64_MIN;
      if (n > INT64_MAX) n = INT64_MAX;
      return n === 0n ? undefined : exact(n);
    }
    case "uint":
    case "hex": {
      let n = strtoint(s, to === "hex" ? 16 : 10);
      if (n < 0n) n = BigInt.asUintN(64, n);
      if (n > UINT64_MAX) n = UINT64_MAX;
      return n === 0n ? undefined : exact(n);
    }
    case "float":
      return atof(s);
    case "bool": {
      const head = s.toLowerCase();
      if (head.startsWith("true")) return true;
      if (head.startsWith("false")) return false;
      return undefined;
    }
    default:
      return undefined;
  }
}
