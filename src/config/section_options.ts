/**
 * Checks one section's keys against option tables: unknown keys (with "did you mean"),
 * bad values, missing required keys, repeated keys collected for `multiple` options.
 */
import type { ConfigProblem, RawProp, RawSection } from "./model.ts";
import {
  defaultsOf,
  type OptionSpec,
  type OptionTable,
  parseValue,
  SOURCE_ORDER,
  type SourceOrder,
} from "./options.ts";
import { unknownKeyHint } from "./suggest.ts";

/**
 * Parses a section against several tables (a plugin's own, then the common keys): one
 * value record per table, defaults for absent keys, a problem for every bad key. A key
 * declared by two tables gets its value in both. When the first table has repeatable keys,
 * their values in source order across keys are attached to its record under `SOURCE_ORDER`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import type { ConfigProblem, RawSection } from "./model.ts";
 * import { opt } from "./options.ts";
 *
 * const pos = { file: "fluent-bit.yaml", line: 3, col: 7 };
 * const section: RawSection = {
 *   kind: "input",
 *   pos,
 *   props: [{ key: "rate", value: "5", pos }, { key: "tag", value: "app", pos }],
 * };
 * const own = { rate: opt.int(1, "Events per second") };
 * const common = { tag: opt.string(undefined, "Tag"), alias: opt.string(undefined, "Alias") };
 * const problems: ConfigProblem[] = [];
 * const [mine, shared] = sectionOptions(section, [own, common], {
 *   owner: 'input "dummy"',
 *   problems,
 * });
 * assertEquals([mine, shared, problems], [{ rate: 5 }, { tag: "app", alias: undefined }, []]);
 * ```
 */
export function sectionOptions<const T extends readonly OptionTable[]>(
  section: RawSection,
  tables: T,
  options: {
    owner: string;
    problems: ConfigProblem[];
    /** Where unknown keys go instead of `problems` (they are ignored, as Fluent Bit does). */
    unknownAsWarnings?: ConfigProblem[];
  },
): { [K in keyof T]: Record<string, unknown> } {
  const { owner, unknownAsWarnings } = options;
  const problems: ConfigProblem[] = [];
  /** Lowercase key to the tables declaring it (index and key as declared). */
  const declared = new Map<string, { table: number; key: string }[]>();
  tables.forEach((table, i) => {
    for (const key of Object.keys(table)) {
      const lk = key.toLowerCase();
      declared.set(lk, [...(declared.get(lk) ?? []), { table: i, key }]);
    }
  });

  const given = new Map<string, RawProp[]>();
  for (const prop of section.props) {
    const lk = prop.key.toLowerCase();
    if (!declared.has(lk)) {
      (unknownAsWarnings ?? problems).push({
        pos: prop.pos,
        key: prop.key,
        message: unknownAsWarnings
          ? `unknown key for ${owner}, ignored`
          : `unknown key for ${owner}`,
        hint: unknownKeyHint(prop.key, declared.keys()),
      });
      continue;
    }
    given.set(lk, [...(given.get(lk) ?? []), prop]);
  }

  const results = tables.map((t) => defaultsOf(t) as Record<string, unknown>);
  for (const [lk, props] of given) {
    declared.get(lk)!.forEach(({ table, key }, n) => {
      const spec = tables[table]![key]!;
      // Report a bad value once, even when two tables declare the key.
      const sink = n === 0 ? problems : [];
      const r = spec.multiple ? parseMany(spec, props, sink) : parseOne(spec, props.at(-1)!, sink);
      if (r.ok) results[table]![key] = r.value;
    });
  }

  tables.forEach((table) => {
    for (const [key, spec] of Object.entries(table)) {
      if (spec.required && !given.has(key.toLowerCase())) {
        problems.push({ pos: section.pos, key, message: `required key is not set for ${owner}` });
      }
    }
  });
  attachSourceOrder(results[0], section, tables[0]);

  // Report in the order the keys were written, section-wide problems first.
  const order = (p: ConfigProblem) =>
    section.props.findIndex((q) => q.pos === p.pos && q.key === p.key);
  options.problems.push(
    ...problems.map((p) => [order(p), p] as const).sort((a, b) => a[0] - b[0]).map(([, p]) => p),
  );
  return results as { [K in keyof T]: Record<string, unknown> };
}

type Parsed = { ok: true; value: unknown } | { ok: false };

function parseOne(spec: OptionSpec, prop: RawProp, problems: ConfigProblem[]): Parsed {
  return parseItem(spec, prop.value, prop, problems);
}

/** Every occurrence of a repeatable key, YAML lists flattened, nulls skipped. */
function parseMany(spec: OptionSpec, props: RawProp[], problems: ConfigProblem[]): Parsed {
  const values: unknown[] = [];
  let ok = true;
  for (const prop of props) {
    for (const item of Array.isArray(prop.value) ? prop.value : [prop.value]) {
      if (item === null || item === undefined) continue;
      const r = parseItem(spec, item, prop, problems);
      if (r.ok) values.push(r.value);
      else ok = false;
    }
  }
  return ok ? { ok, value: values } : { ok };
}

function parseItem(
  spec: OptionSpec,
  raw: unknown,
  prop: RawProp,
  problems: ConfigProblem[],
): Parsed {
  let value: unknown;
  try {
    value = parseValue(spec, raw);
  } catch (e) {
    if (!(e instanceof SyntaxError || e instanceof RangeError || e instanceof TypeError)) throw e;
    problems.push({ pos: prop.pos, key: prop.key, message: e.message });
    return { ok: false };
  }
  const message = spec.check?.(value);
  if (message !== undefined) {
    problems.push({ pos: prop.pos, key: prop.key, message });
    return { ok: false };
  }
  return { ok: true, value };
}

/** Records every value of the table's repeatable keys, in the order written, under SOURCE_ORDER. */
function attachSourceOrder(
  values: Record<string, unknown> | undefined,
  section: RawSection,
  table: OptionTable | undefined,
): void {
  if (!values || !table) return;
  const repeatable = new Map<string, OptionSpec>();
  for (const [key, spec] of Object.entries(table)) {
    if (spec.multiple) repeatable.set(key.toLowerCase(), spec);
  }
  if (repeatable.size === 0) return;
  const order: [string, string][] = [];
  for (const prop of section.props) {
    const key = prop.key.toLowerCase();
    const spec = repeatable.get(key);
    if (!spec) continue;
    for (const item of Array.isArray(prop.value) ? prop.value : [prop.value]) {
      if (item === null || item === undefined || typeof item === "object") continue;
      try {
        order.push([key, String(parseValue(spec, item))]);
      } catch {
        // Already reported as a problem by parseMany.
      }
    }
  }
  const frozen: SourceOrder = order;
  Object.defineProperty(values, SOURCE_ORDER, { value: frozen, enumerable: false });
}
