/**
 * Option tables: each plugin (and the service section) declares every key once,
 * with its Fluent Bit name, type, default and description. Parsing with defaults,
 * unknown-key errors with "did you mean", and `sluice plugins NAME` all come from it.
 */
import {
  parseBool,
  parseDuration,
  parseFloat,
  parseInt,
  parseList,
  parseSize,
  quote,
} from "./values.ts";

/** The kinds of value an option can hold. */
export type OptionType =
  | "string"
  | "int"
  | "float"
  | "bool"
  | "size"
  | "duration"
  | "list"
  | "map"
  | "any"
  | "custom";

/** One declared option; `T` is the parsed value's type. */
export interface OptionSpec<T = unknown> {
  /** How the raw value is parsed. */
  type: OptionType;
  /** One line for `sluice plugins NAME`. */
  description: string;
  /** The value when the key is absent; none means the key is unset. */
  default?: T;
  /** The key may repeat (YAML list or repeated classic key); the value is an array. */
  multiple?: boolean;
  /** The key must be set. */
  required?: boolean;
  /** Allowed values (compared case-insensitively for strings). */
  choices?: readonly string[];
  /** Extra check after parsing; returns a message when the value is wrong. */
  check?(value: T): string | undefined;
  /** The parser of a `custom` value; throws SyntaxError or RangeError on a bad one. */
  parse?(raw: unknown): T;
  /** How `sluice plugins NAME` shows a `custom` value's type (e.g. `N|no_limits`). */
  shows?: string;
  /** A `custom` value may be a list or a map (else a single value is required). */
  structured?: boolean;
  /** How `sluice plugins NAME` shows a `custom` default (else its JSON). */
  showsDefault?: string;
  /** Phantom field carrying `T` for type inference; never set. */
  readonly __type?: T;
}

/** A plugin's option table: Fluent Bit key (lowercase) to spec. */
export type OptionTable = Record<string, OptionSpec<unknown>>;

/** The parsed values of an option table, typed from it. */
export type OptionValues<T extends OptionTable> = {
  -readonly [K in keyof T]: T[K] extends OptionSpec<infer V> ? V : never;
};

type Extra<T> = Pick<OptionSpec<T>, "required" | "choices" | "check">;

function spec<T>(type: OptionType, def: T, description: string, extra?: Extra<T>): OptionSpec<T> {
  return { type, default: def, description, ...extra };
}

/**
 * Builders for option specs; the default decides whether the value may be undefined.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const options = { rate: opt.int(1, "Events per second"), path: opt.string(undefined, "Path") };
 * assertEquals(defaultsOf(options), { rate: 1, path: undefined });
 * ```
 */
export const opt = {
  string<D extends string | undefined>(
    def: D,
    description: string,
    extra?: Extra<string>,
  ): OptionSpec<string | D> {
    return spec<string | D>("string", def, description, extra as Extra<string | D>);
  },
  int<D extends number | undefined>(
    def: D,
    description: string,
    extra?: Extra<number>,
  ): OptionSpec<number | D> {
    return spec<number | D>("int", def, description, extra as Extra<number | D>);
  },
  float<D extends number | undefined>(
    def: D,
    description: string,
    extra?: Extra<number>,
  ): OptionSpec<number | D> {
    return spec<number | D>("float", def, description, extra as Extra<number | D>);
  },
  bool(def: boolean, description: string): OptionSpec<boolean> {
    return spec("bool", def, description);
  },
  /** A size in bytes (`32k`, `5M`). */
  size<D extends number | undefined>(
    def: D,
    description: string,
    extra?: Extra<number>,
  ): OptionSpec<number | D> {
    return spec<number | D>("size", def, description, extra as Extra<number | D>);
  },
  /** A duration in seconds, fractions allowed (`5s`, `500ms`, `1.5m`). */
  duration<D extends number | undefined>(
    def: D,
    description: string,
    extra?: Extra<number>,
  ): OptionSpec<number | D> {
    return spec<number | D>("duration", def, description, extra as Extra<number | D>);
  },
  /** A comma list or YAML sequence of strings. */
  list(def: string[], description: string): OptionSpec<string[]> {
    return spec("list", def, description);
  },
  /** A key that may repeat: every occurrence's string, in order. */
  multi(description: string): OptionSpec<string[]> {
    return { type: "string", default: [], description, multiple: true };
  },
  /** A nested map (YAML only), kept as given with lowercased keys. */
  map(description: string): OptionSpec<Record<string, unknown> | undefined> {
    return { type: "map", default: undefined, description };
  },
  /**
   * One of `choices` (matched case-insensitively, given back as written here), typed as
   * their union.
   *
   * @example
   * ```ts
   * import { assertEquals } from "../testing/assert.ts";
   *
   * const mode = opt.choice(["parser", "partial_message"] as const, "parser", "How to join");
   * assertEquals(parseValue(mode, "Partial_Message"), "partial_message");
   * ```
   */
  choice<const C extends readonly string[], D extends C[number] | undefined>(
    choices: C,
    def: D,
    description: string,
    extra?: Pick<OptionSpec<C[number]>, "required" | "check">,
  ): OptionSpec<C[number] | D> {
    return { type: "string", default: def, description, choices, ...extra } as OptionSpec<
      C[number] | D
    >;
  },
  /**
   * A value `parse` turns into `T` at config time; `create` receives the parsed value.
   * `extra.shows` is how `sluice plugins NAME` names its type.
   *
   * @example
   * ```ts
   * import { assertEquals } from "../testing/assert.ts";
   * import { parseRetryLimit } from "./values.ts";
   *
   * const limit = opt.custom(parseRetryLimit, 1, "Retries", { shows: "N|no_limits" });
   * assertEquals(parseValue(limit, "no_limits"), Infinity);
   * assertEquals(describeType(limit), "N|no_limits");
   * ```
   */
  custom<T, D extends T | undefined>(
    parse: (raw: unknown) => T,
    def: D,
    description: string,
    extra?: Pick<
      OptionSpec<T>,
      "shows" | "showsDefault" | "required" | "multiple" | "structured"
    >,
  ): OptionSpec<T | D> {
    return { type: "custom", default: def, description, parse, ...extra } as OptionSpec<T | D>;
  },
  /** Any YAML value, kept as given (nested lists of maps, for instance). */
  any(description: string, extra?: { multiple?: boolean }): OptionSpec<unknown> {
    return { type: "any", default: undefined, description, ...extra };
  },
};

/** Parses one raw value (already known to be single) for a spec; throws SyntaxError or RangeError. */
export function parseValue(spec: OptionSpec, raw: unknown): unknown {
  switch (spec.type) {
    case "string": {
      rejectStructure(raw);
      const s = raw === null || raw === undefined ? "" : String(raw);
      if (spec.choices && !spec.choices.some((c) => c.toLowerCase() === s.toLowerCase())) {
        throw new SyntaxError(`expected one of ${spec.choices.join(", ")}, got ${quote(s)}`);
      }
      return spec.choices ? spec.choices.find((c) => c.toLowerCase() === s.toLowerCase()) : s;
    }
    case "int":
      return parseInt(raw);
    case "float":
      return parseFloat(raw);
    case "bool":
      return parseBool(raw);
    case "size":
      return parseSize(raw);
    case "duration":
      return parseDuration(raw);
    case "list":
      return parseList(raw);
    case "map":
      if (raw === null || raw === undefined) return {};
      if (typeof raw !== "object" || Array.isArray(raw)) {
        throw new SyntaxError(`expected a map of keys to values, got ${quote(raw)}`);
      }
      return lowerKeys(raw as Record<string, unknown>);
    case "any":
      return raw;
    case "custom":
      if (!spec.structured) rejectStructure(raw);
      return spec.parse ? spec.parse(raw) : raw;
  }
}

/** Throws SyntaxError when `raw` is a list or a map where one value is expected. */
function rejectStructure(raw: unknown): void {
  if (raw !== null && typeof raw === "object") {
    throw new SyntaxError(
      `expected a single value, got ${Array.isArray(raw) ? "a list" : "a map"}`,
    );
  }
}

function lowerKeys(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.toLowerCase()] = v;
  return out;
}

/** The options' defaults, as `parseOptions` would give with no keys set. */
export function defaultsOf<T extends OptionTable>(table: T): OptionValues<T> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    out[key] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
  }
  return out as OptionValues<T>;
}

/** How a value's type is shown in `sluice plugins NAME`. */
export function describeType(spec: OptionSpec): string {
  const base = spec.choices
    ? spec.choices.join("|")
    : spec.type === "custom"
    ? spec.shows ?? "value"
    : spec.type;
  return spec.multiple ? `${base} (repeatable)` : base;
}

/** How a default is shown in `sluice plugins NAME`. */
export function describeDefault(spec: OptionSpec): string {
  const d = spec.default;
  if (d === undefined) return spec.required ? "(required)" : "none";
  if (Array.isArray(d)) return d.length ? d.join(",") : "none";
  if (typeof d === "boolean") return d ? "on" : "off";
  if (spec.type === "custom") return spec.showsDefault ?? JSON.stringify(d) ?? String(d);
  return String(d);
}

/**
 * Where the config resolver may put, on a plugin's parsed options, every value of the
 * section's repeatable keys in source order as `[lowercased key, value]` pairs: plugins
 * whose rules apply in the order written across keys (modify) read it. Absent when options
 * were built another way (tests, defaults), and plugins fall back to their table's key order.
 */
export const SOURCE_ORDER: unique symbol = Symbol.for("sluice.options.sourceOrder");

/** The value stored under {@link SOURCE_ORDER}. */
export type SourceOrder = ReadonlyArray<readonly [key: string, value: string]>;

/** The source-order pairs a resolver attached to `options`, if any. */
export function sourceOrderOf(options: object): SourceOrder | undefined {
  const v = (options as { [SOURCE_ORDER]?: unknown })[SOURCE_ORDER];
  return Array.isArray(v) ? v as SourceOrder : undefined;
}
