/**
 * Reading one condition's map from the config: known keys only (typos get a "did
 * you mean"), typed getters, and errors that name the condition by its position.
 */
import { didYouMean } from "../../../../src/config/suggest.ts";
import { quote } from "../../../../src/config/values.ts";

/**
 * The message for an unknown word: `unknown key "x": did you mean "y"?`, or the
 * known words when none is close.
 */
export function unknownWord(
  word: string,
  options: { what: string; known: readonly string[] },
): string {
  const { what, known } = options;
  const hint = didYouMean(word, known);
  return `unknown ${what} ${quote(word)}: ${hint ?? `expected one of ${known.join(", ")}`}`;
}

/**
 * A condition map with lowercased keys and typed getters; every error names the
 * condition (`condition 2 (latency)`).
 */
export class ConditionReader {
  readonly where: string;
  readonly type: string;
  readonly #map: Map<string, unknown>;

  constructor(raw: unknown, where: string) {
    this.where = where;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw new TypeError(
        `Cannot use sampling ${where}: expected a map with a type, got ${quote(raw)}`,
      );
    }
    this.#map = new Map();
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      this.#map.set(k.toLowerCase(), v);
    }
    const type = this.#map.get("type");
    if (typeof type !== "string" || type.trim() === "") {
      throw new TypeError(`Cannot use sampling ${where}: the "type" key is not set to a name`);
    }
    this.type = type.trim().toLowerCase();
    this.where = `${where} (${this.type})`;
  }

  /** Throws for keys outside `known` (besides `type`). */
  only(known: readonly string[]): void {
    for (const k of this.#map.keys()) {
      if (k === "type" || known.includes(k)) continue;
      this.fail(unknownWord(k, { what: "key", known }));
    }
  }

  /** True when the key is present with a non-null value. */
  has(key: string): boolean {
    const v = this.#map.get(key);
    return v !== undefined && v !== null;
  }

  /** The raw value of a key. */
  raw(key: string): unknown {
    return this.#map.get(key);
  }

  /** A string value (numbers and booleans as text). */
  string(key: string): string | undefined {
    const v = this.#map.get(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v === "object") {
      this.fail(`expected ${quote(key)} to be a single value, got ${quote(v)}`);
    }
    return String(v);
  }

  /** A non-negative integer. */
  uint(key: string): number | undefined {
    const n = this.number(key);
    if (n !== undefined && (!Number.isInteger(n) || n < 0)) {
      this.fail(
        `expected ${quote(key)} to be a whole number of 0 or more, got ${quote(this.raw(key))}`,
      );
    }
    return n;
  }

  /** A finite number (numeric strings accepted, as `${VAR}` expansion gives them). */
  number(key: string): number | undefined {
    const v = this.#map.get(key);
    if (v === undefined || v === null) return undefined;
    const n = typeof v === "number"
      ? v
      : typeof v === "string" && v.trim() !== ""
      ? Number(v)
      : NaN;
    if (!Number.isFinite(n)) this.fail(`expected ${quote(key)} to be a number, got ${quote(v)}`);
    return n;
  }

  /** A boolean (`true`/`false`, `on`/`off`, `yes`/`no` as text too). */
  bool(key: string): boolean | undefined {
    const v = this.#map.get(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v === "boolean") return v;
    const s = String(v).trim().toLowerCase();
    if (["true", "on", "yes"].includes(s)) return true;
    if (["false", "off", "no"].includes(s)) return false;
    return this.fail(`expected ${quote(key)} to be true or false, got ${quote(v)}`);
  }

  /** A list of strings; a single string is a list of one. */
  strings(key: string): string[] | undefined {
    const v = this.#map.get(key);
    if (v === undefined || v === null) return undefined;
    const items = Array.isArray(v) ? v : [v];
    return items.map((item) => {
      if (item === null || typeof item === "object") {
        this.fail(`expected ${quote(key)} to be a list of strings, got ${quote(v)}`);
      }
      return String(item);
    });
  }

  /** A list of anything (nested condition maps). */
  list(key: string): unknown[] | undefined {
    const v = this.#map.get(key);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(`expected ${quote(key)} to be a list, got ${quote(v)}`);
    return v;
  }

  /** Throws a RangeError naming this condition. */
  fail(detail: string): never {
    throw new RangeError(`Cannot use sampling ${this.where}: ${detail}`);
  }

  /** The value of a required key, or an error saying it is missing. */
  need<T>(key: string, value: T | undefined): T {
    if (value === undefined) this.fail(`the ${quote(key)} key is required`);
    return value;
  }
}
