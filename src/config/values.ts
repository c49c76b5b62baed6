/**
 * Parsers for option values as Fluent Bit writes them: sizes, durations, booleans
 * and comma lists. Each throws a `SyntaxError` whose message says what was expected.
 */

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
};

/**
 * Parses a size in bytes: `32000`, `32k`, `5M`, `1.5MB`, `2g` (powers of ten, as in Fluent Bit).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(parseSize("32k"), 32000);
 * ```
 */
export function parseSize(value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return Math.floor(value);
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new SyntaxError(`expected a size like 32k, 5M or 1G, got ${quote(value)}`);
  }
  return Math.floor(Number(m[1]) * unit);
}

const DURATION_UNITS: Record<string, number> = {
  "": 1,
  ns: 1e-9,
  us: 1e-6,
  ms: 1e-3,
  s: 1,
  sec: 1,
  m: 60,
  min: 60,
  h: 3600,
  d: 86400,
};

/**
 * Parses a duration into seconds (a float): `5`, `5s`, `500ms`, `1.5m`, `1h`, `1d`.
 * Unlike Fluent Bit, `500ms` is half a second and `1.5m` is 90 seconds. `-1` passes
 * through, as Fluent Bit's "no limit" (`grace -1`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(parseDuration("1.5m"), 90);
 * ```
 */
export function parseDuration(value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  if (value === -1 || String(value).trim() === "-1") return -1; // Fluent Bit's "no limit" (grace)
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = m ? DURATION_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new SyntaxError(
      `expected a duration like 5s, 500ms, 1.5m, 1h or 1d, got ${quote(value)}`,
    );
  }
  return Number(m[1]) * unit;
}

const TRUE_WORDS = new Set(["on", "true", "yes", "1"]);
const FALSE_WORDS = new Set(["off", "false", "no", "0"]);

/** Parses `on/off/yes/no/true/false/1/0` (any case) or a YAML boolean. */
export function parseBool(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  const s = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  throw new SyntaxError(`expected on, off, true, false, yes or no, got ${quote(value)}`);
}

/** Parses a whole number (an integer string or number). */
export function parseInt(value: unknown): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  const s = String(value).trim();
  if (!/^[-+]?\d+$/.test(s)) throw new SyntaxError(`expected a whole number, got ${quote(value)}`);
  return Number(s);
}

/** Parses a number, fractions allowed. */
export function parseFloat(value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  const s = String(value).trim();
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s)) {
    throw new SyntaxError(`expected a number, got ${quote(value)}`);
  }
  return Number(s);
}

/** Parses a comma list (`a, b,c`) or a YAML sequence into trimmed, non-empty strings. */
export function parseList(value: unknown): string[] {
  const items = Array.isArray(value)
    ? value.flatMap((v) => String(v).split(","))
    : String(value).split(",");
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** A value quoted for an error message. */
export function quote(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

/**
 * Parses `retry_limit`: a number of retries, `no_limits`/`false`/`off` (unlimited)
 * or `no_retries` (a single attempt). Throws SyntaxError otherwise.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(parseRetryLimit("no_limits"), Infinity);
 * assertEquals(parseRetryLimit("no_retries"), 0);
 * ```
 */
export function parseRetryLimit(value: unknown): number {
  const v = String(value).trim().toLowerCase();
  if (v === "no_limits" || v === "false" || v === "off") return Infinity;
  if (v === "no_retries") return 0;
  if (/^\d+$/.test(v)) return Number(v);
  throw new SyntaxError(
    `expected a number of retries, no_limits, false or no_retries, got ${JSON.stringify(value)}`,
  );
}
