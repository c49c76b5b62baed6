/**
 * The number gauge and histogram read from `value_field`: an integer or float as it is, or a
 * string read as C's `sscanf("%lf")` reads it (leading blanks skipped, the longest number at
 * the start taken, so "7ms" is 7). Anything else is not a number.
 */

const LEADING_NUMBER =
  /^\s*([+-]?(?:0x[\da-f]+|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf(?:inity)?|nan))/i;

/**
 * The value as a number, or undefined when it is none (a map, a bool, text with no number
 * at its start).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals([numericValue("12.5"), numericValue(" 7ms"), numericValue(3n)], [12.5, 7, 3]);
 * assertEquals([numericValue("abc"), numericValue(true)], [undefined, undefined]);
 * ```
 */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value !== "string") return undefined;
  const m = LEADING_NUMBER.exec(value);
  if (!m) return undefined;
  const text = m[1]!.toLowerCase();
  const sign = text.startsWith("-") ? -1 : 1;
  const bare = text.replace(/^[+-]/, "");
  if (bare.startsWith("inf")) return sign * Infinity;
  if (bare === "nan") return NaN;
  if (bare.startsWith("0x")) return sign * parseInt(bare.slice(2), 16);
  return Number(text);
}
