/**
 * A parser's `types` option: `key:integer key2:bool key3:float key4:hex key5:string`,
 * converting captured text the way Fluent Bit does (atoll, strtoull, atof).
 */
import type { RecordMap } from "../event/log_record.ts";

/** The types a field may be converted to. */
export type FieldType = "integer" | "bool" | "float" | "hex" | "string";

const TYPES: readonly FieldType[] = ["integer", "bool", "float", "hex", "string"];

/** Field name to type. */
export type FieldTypes = ReadonlyMap<string, FieldType>;

/**
 * Parses a `types` value. Throws SyntaxError naming every entry that is not
 * `name:type` with a known type.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(parseFieldTypes("code:integer size:integer").get("size"), "integer");
 * ```
 */
export function parseFieldTypes(spec: string): FieldTypes {
  const types = new Map<string, FieldType>();
  const bad: string[] = [];
  for (const entry of spec.split(/\s+/)) {
    if (entry === "") continue;
    const colon = entry.lastIndexOf(":");
    const name = entry.slice(0, colon);
    const type = entry.slice(colon + 1).toLowerCase() as FieldType;
    if (colon <= 0 || !TYPES.includes(type)) bad.push(JSON.stringify(entry));
    else types.set(name, type);
  }
  if (bad.length) {
    throw new SyntaxError(
      `Cannot read types: expected name:type with type one of ${TYPES.join(", ")}, got ${
        bad.join(", ")
      }`,
    );
  }
  return types;
}

/**
 * Converts captured text to `type`: integer and float read a leading number (0 when
 * there is none), hex reads base 16 with an optional 0x, bool takes a `true`/`false`
 * prefix in any case and leaves other text as it is.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(castField("integer", "200"), 200);
 * assertEquals(castField("bool", "TRUE"), true);
 * ```
 */
export function castField(type: FieldType, text: string): unknown {
  switch (type) {
    case "integer": {
      const n = Number.parseInt(text, 10);
      return Number.isNaN(n) ? 0 : n;
    }
    case "hex": {
      const n = Number.parseInt(text, 16);
      return Number.isNaN(n) || n < 0 ? 0 : n;
    }
    case "float": {
      const n = Number.parseFloat(text);
      return Number.isNaN(n) ? 0 : n;
    }
    case "bool": {
      const head = text.slice(0, 5).toLowerCase();
      if (head.startsWith("true")) return true;
      if (head === "false") return false;
      return text;
    }
    case "string":
      return text;
  }
}

/**
 * Sets `body[key]`, also when the key is `__proto__` (a plain assignment would replace
 * the object's prototype instead of adding a field).
 */
export function setField(body: RecordMap, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(body, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    body[key] = value;
  }
}
