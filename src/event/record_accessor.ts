/**
 * Fluent Bit's record accessor: `$key`, `$key['sub'][0]`, `$key["sub"]`, or a bare `key`
 * (a top-level key, as grep and modify accept). A pattern is compiled once into path steps,
 * then evaluated per record with a plain loop, so the hot path runs no regex.
 */
import type { RecordMap } from "./log_record.ts";

/** One step of a compiled path: a map key, or an array index. */
export type AccessorStep = string | number;

/** A compiled record accessor: reads, tests, writes and deletes one path in a map. */
export interface RecordAccessor {
  /** The pattern as written. */
  readonly pattern: string;
  /** The compiled path, outermost key first. */
  readonly path: readonly AccessorStep[];
  /** The value at the path, or undefined when any step is absent. */
  get(map: RecordMap): unknown;
  /** True when the path exists (its value may be null). */
  has(map: RecordMap): boolean;
  /** Writes the value, creating missing intermediate maps; false when a step is not a container. */
  set(map: RecordMap, value: unknown): boolean;
  /** Removes the entry at the path; false when it was absent. */
  delete(map: RecordMap): boolean;
}

/** True for a map value: a plain object, not an array, bytes or null. */
export function isRecordMap(value: unknown): value is RecordMap {
  return value !== null && typeof value === "object" && !Array.isArray(value) &&
    !ArrayBuffer.isView(value);
}

/** Sets an own enumerable property, even one named `__proto__`. */
export function putKey(map: RecordMap, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(map, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    map[key] = value;
  }
}

const hasOwn = Object.hasOwn;

class CompiledAccessor implements RecordAccessor {
  readonly pattern: string;
  readonly path: readonly AccessorStep[];
  readonly #steps: AccessorStep[];
  readonly #last: number;

  constructor(pattern: string, steps: AccessorStep[]) {
    this.pattern = pattern;
    this.#steps = steps;
    this.path = Object.freeze([...steps]);
    this.#last = steps.length - 1;
  }

  get(map: RecordMap): unknown {
    const steps = this.#steps;
    let cur: unknown = map;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i]!;
      if (typeof s === "number") {
        if (!Array.isArray(cur) || s >= cur.length) return undefined;
        cur = cur[s];
      } else {
        if (!isRecordMap(cur) || !hasOwn(cur, s)) return undefined;
        cur = cur[s];
      }
    }
    return cur;
  }

  has(map: RecordMap): boolean {
    const parent = this.#parent(map);
    if (parent === undefined) return false;
    const s = this.#steps[this.#last]!;
    return typeof s === "number"
      ? Array.isArray(parent) && s < parent.length
      : isRecordMap(parent) && hasOwn(parent, s);
  }

  set(map: RecordMap, value: unknown): boolean {
    const steps = this.#steps;
    let cur: unknown = map;
    for (let i = 0; i < this.#last; i++) {
      const s = steps[i]!;
      if (typeof s === "number") {
        if (!Array.isArray(cur) || s >= cur.length) return false;
        cur = cur[s];
        continue;
      }
      if (!isRecordMap(cur)) return false;
      if (!hasOwn(cur, s) || cur[s] === undefined) {
        if (typeof steps[i + 1] === "number") return false;
        putKey(cur, s, {});
      }
      cur = cur[s];
    }
    const s = steps[this.#last]!;
    if (typeof s === "number") {
      if (!Array.isArray(cur) || s > cur.length) return false;
      cur[s] = value;
      return true;
    }
    if (!isRecordMap(cur)) return false;
    putKey(cur, s, value);
    return true;
  }

  delete(map: RecordMap): boolean {
    const parent = this.#parent(map);
    if (parent === undefined) return false;
    const s = this.#steps[this.#last]!;
    if (typeof s === "number") {
      if (!Array.isArray(parent) || s >= parent.length) return false;
      parent.splice(s, 1);
      return true;
    }
    if (!isRecordMap(parent) || !hasOwn(parent, s)) return false;
    delete parent[s];
    return true;
  }

  /** The container holding the last step, or undefined when a step before it is absent. */
  #parent(map: RecordMap): unknown {
    const steps = this.#steps;
    let cur: unknown = map;
    for (let i = 0; i < this.#last; i++) {
      const s = steps[i]!;
      if (typeof s === "number") {
        if (!Array.isArray(cur) || s >= cur.length) return undefined;
      } else if (!isRecordMap(cur) || !hasOwn(cur, s)) {
        return undefined;
      }
      cur = (cur as Record<string | number, unknown>)[s];
    }
    return cur;
  }
}

/**
 * Compiles a record accessor pattern. Throws SyntaxError naming the pattern when it is not
 * one of `$key`, `$key['sub']`, `$key["sub"]`, `$key[0]` (steps may repeat) or a bare key.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const ra = compileAccessor("$kubernetes['labels']['app']");
 * assertEquals(ra.get({ kubernetes: { labels: { app: "web" } } }), "web");
 * ```
 */
export function compileAccessor(pattern: string): RecordAccessor {
  return new CompiledAccessor(pattern, parsePattern(pattern));
}

const SPECIAL = new Set(["[", "]", "'", '"', "$"]);

function parsePattern(pattern: string): AccessorStep[] {
  if (pattern.length === 0) throw accessorError(pattern, "the pattern is empty");
  if (pattern[0] !== "$") return [pattern];
  let i = 1;
  while (i < pattern.length && !SPECIAL.has(pattern[i]!) && !/\s/.test(pattern[i]!)) i++;
  if (i === 1) throw accessorError(pattern, 'expected a key name after "$"');
  const steps: AccessorStep[] = [pattern.slice(1, i)];
  while (i < pattern.length) {
    if (pattern[i] !== "[") {
      throw accessorError(
        pattern,
        `expected "[" at offset ${i}, got ${JSON.stringify(pattern[i])}`,
      );
    }
    i = skipSpaces(pattern, i + 1);
    const c = pattern[i];
    if (c === "'" || c === '"') {
      const [key, next] = readQuoted(pattern, i);
      steps.push(key);
      i = next;
    } else if (c !== undefined && c >= "0" && c <= "9") {
      const m = /^(?:0|[1-9][0-9]*)/.exec(pattern.slice(i))!;
      if (m[0].length > 9) throw accessorError(pattern, `index ${m[0]} is too large`);
      steps.push(Number(m[0]));
      i += m[0].length;
    } else {
      throw accessorError(pattern, `expected a quoted key or an index at offset ${i}`);
    }
    i = skipSpaces(pattern, i);
    if (pattern[i] !== "]") throw accessorError(pattern, `expected "]" at offset ${i}`);
    i++;
  }
  return steps;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  return i;
}

/** Reads a quoted key at `start`; a doubled quote stands for the quote itself. */
function readQuoted(pattern: string, start: number): [string, number] {
  const q = pattern[start]!;
  let out = "";
  let i = start + 1;
  for (;;) {
    const end = pattern.indexOf(q, i);
    if (end === -1) throw accessorError(pattern, `unterminated quote at offset ${start}`);
    out += pattern.slice(i, end);
    if (pattern[end + 1] === q) {
      out += q;
      i = end + 2;
      continue;
    }
    return [out, end + 1];
  }
}

function accessorError(pattern: string, detail: string): SyntaxError {
  return new SyntaxError(`Cannot parse record accessor ${JSON.stringify(pattern)}: ${detail}`);
}

/**
 * The text a rule matches a value against: strings as they are, numbers and booleans as
 * written, maps and arrays as JSON; undefined for null, absent values and bytes.
 */
export function valueText(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    case "object":
      if (value === null || ArrayBuffer.isView(value)) return undefined;
      try {
        return JSON.stringify(value, (_k, v) => typeof v === "bigint" ? v.toString() : v);
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}
