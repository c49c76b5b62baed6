/**
 * Record values as Fluent Bit's syslog output reads them: scalars turned into text (maps,
 * arrays and null are not scalars), and severity and facility given as numbers or names.
 */

/** A scalar as the message text takes it: a string, or the raw bytes of a binary value. */
export type Text = string | Uint8Array;

/**
 * The text of a scalar record value, as Fluent Bit prints it (`true`/`false`, integers in
 * decimal, floats with six decimals as `%f`); undefined for null, arrays and maps.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals([scalarText(1.5), scalarText(42), scalarText(true), scalarText(null)], [
 *   "1.500000",
 *   "42",
 *   "true",
 *   undefined,
 * ]);
 * ```
 */
export function scalarText(value: unknown): Text | undefined {
  switch (typeof value) {
    case "string":
      return value;
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "number":
      if (Number.isInteger(value)) {
        return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
      }
      if (Number.isNaN(value)) return "nan";
      if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
      return value.toFixed(6);
    case "object":
      return value instanceof Uint8Array ? value : undefined;
    default:
      return undefined;
  }
}

/** True for a value Fluent Bit sees as a msgpack map (a structured-data candidate). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}

const SEVERITIES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];
const FACILITIES: Record<string, number> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  security: 13,
  console: 14,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

function asString(text: Text): string {
  return typeof text === "string" ? text : new TextDecoder().decode(text);
}

/**
 * The severity a value names: one digit 0-7 or a name, case-insensitive; undefined when
 * it names none.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals([severityOf("WARNING"), severityOf("3"), severityOf("8")], [4, 3, undefined]);
 * ```
 */
export function severityOf(text: Text): number | undefined {
  const s = asString(text);
  if (s.length === 1 && s >= "0" && s <= "7") return s.charCodeAt(0) - 48;
  const i = SEVERITIES.indexOf(s.toLowerCase());
  return i < 0 ? undefined : i;
}

/**
 * The facility a value names: one digit, two digits up to 23 (`05` too), or a name,
 * case-insensitive; undefined when it names none.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals([facilityOf("local3"), facilityOf("05"), facilityOf("24")], [19, 5, undefined]);
 * ```
 */
export function facilityOf(text: Text): number | undefined {
  const s = asString(text);
  if (s.length === 1 && s >= "0" && s <= "9") return s.charCodeAt(0) - 48;
  if (/^[0-2][0-9]$/.test(s)) {
    const n = Number(s);
    return n <= 23 ? n : undefined;
  }
  return Object.hasOwn(FACILITIES, s.toLowerCase()) ? FACILITIES[s.toLowerCase()] : undefined;
}
