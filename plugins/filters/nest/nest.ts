/**
 * The nest filter's work on one body, as Fluent Bit's `filter_nest` does it. Nest: the keys
 * not matched first, in order, then the nest key holding the matched ones (prefix applied).
 * Lift: the keys other than the nested one first, then the nested map's keys (prefix
 * applied); a nested value that is not a map is left alone, with a warning.
 */
import { isRecordMap, putKey } from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { OptionError, type PluginLogger } from "../../../src/plugin.ts";
import type { NestOptions } from "./options.ts";

/** A compiled nest or lift rule. */
export type NestPlan =
  | { operation: "nest"; key: string; matches: (key: string) => boolean; rename: Rename }
  | { operation: "lift"; key: string; rename: Rename };

type Rename = (key: string) => string;

/**
 * Checks the options the way Fluent Bit's `configure` does and compiles them. `operation`
 * compares its first 4 characters (`nesting` is nest).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const plan = nestPlan({
 *   operation: "nest",
 *   wildcard: ["b_*"],
 *   nest_under: "b",
 *   nested_under: undefined,
 *   add_prefix: undefined,
 *   prefix_with: undefined,
 *   remove_prefix: "b_",
 * });
 * assertEquals(applyNest(plan, { a: 1, b_x: 2, c: 3, b_y: 4 }), { a: 1, c: 3, b: { x: 2, y: 4 } });
 * ```
 */
export function nestPlan(o: NestOptions): NestPlan {
  const op = o.operation ?? "";
  const add = o.add_prefix ?? o.prefix_with;
  const remove = o.remove_prefix;
  if (add !== undefined && remove !== undefined) {
    throw new OptionError("remove_prefix", "Add_prefix and Remove_prefix are exclusive");
  }
  if (add === "" || remove === "") {
    const key = add === ""
      ? (o.add_prefix !== undefined ? "add_prefix" : "prefix_with")
      : "remove_prefix";
    throw new OptionError(key, "A prefix has to be specified for prefix add or remove operations");
  }
  const rename: Rename = add !== undefined
    ? (k) => add + k
    : remove !== undefined
    ? (k) => (k.startsWith(remove) ? k.slice(remove.length) : k)
    : (k) => k;
  if (op.startsWith("nest")) {
    const key = o.nest_under ?? o.nested_under;
    if (key === undefined) {
      throw new OptionError(
        "nest_under",
        'Operation nest needs "nest_under": the key of the new map',
      );
    }
    return { operation: "nest", key, matches: wildcardMatcher(o.wildcard), rename };
  }
  if (op.startsWith("lift")) {
    const key = o.nested_under ?? o.nest_under;
    if (key === undefined) {
      throw new OptionError(
        "nested_under",
        'Operation lift needs "nested_under": the key of the map to lift',
      );
    }
    return { operation: "lift", key, rename };
  }
  throw new OptionError(
    "operation",
    `Key "operation" has invalid value "${op}": expected "nest" or "lift"`,
  );
}

/** Exact names, or prefixes where the pattern ends in `*` (a `*` elsewhere is literal). */
function wildcardMatcher(patterns: readonly string[]): (key: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    if (p.endsWith("*")) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  return (key) => {
    if (exact.has(key)) return true;
    for (const p of prefixes) if (key.startsWith(p)) return true;
    return false;
  };
}

/** The body after the plan, or undefined when it leaves it unchanged. */
export function applyNest(
  plan: NestPlan,
  body: RecordMap,
  log?: PluginLogger,
): RecordMap | undefined {
  return plan.operation === "nest" ? nest(plan, body) : lift(plan, body, log);
}

function nest(plan: Extract<NestPlan, { operation: "nest" }>, body: RecordMap) {
  let nested: RecordMap | undefined;
  for (const k in body) {
    if (plan.matches(k)) {
      nested ??= {};
      putKey(nested, plan.rename(k), body[k]);
    }
  }
  if (!nested) return undefined;
  const out: RecordMap = {};
  for (const k in body) if (!plan.matches(k)) putKey(out, k, body[k]);
  // Fluent Bit writes a second pair when a kept key has the nest key's name; one wins here.
  if (Object.hasOwn(out, plan.key)) delete out[plan.key];
  putKey(out, plan.key, nested);
  return out;
}

function lift(
  plan: Extract<NestPlan, { operation: "lift" }>,
  body: RecordMap,
  log?: PluginLogger,
) {
  if (!Object.hasOwn(body, plan.key)) return undefined;
  const inner = body[plan.key];
  if (!isRecordMap(inner)) {
    log?.once(
      "warn",
      `not-a-map:${plan.key}`,
      `Value of key '${plan.key}' is not a map. Will not attempt to lift from here`,
    );
    return undefined;
  }
  const out: RecordMap = {};
  for (const k in body) if (k !== plan.key) putKey(out, k, body[k]);
  for (const k in inner) {
    const name = plan.rename(k);
    if (Object.hasOwn(out, name)) delete out[name];
    putKey(out, name, inner[k]);
  }
  return out;
}
