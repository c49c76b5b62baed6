/**
 * Which inputs a hot reload can keep running: those whose resolved config (plugin, options,
 * common keys, processors) is the same in the old and new config, by deep comparison that
 * ignores where keys were written, and whose buffering (the service's storage keys) did not
 * change either. Anything the comparison cannot see into (a function) counts as changed.
 */
import type { PipelineConfig } from "./config/resolved.ts";

/** True when `a` and `b` hold the same values; `pos` and `keys` fields are not compared. */
export function sameConfig(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof RegExp) {
    return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags;
  }
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof Map || a instanceof Set) {
    return sameConfig([...a.entries()], [...(b as Map<unknown, unknown>).entries()]);
  }
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameConfig(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => k !== "pos" && k !== "keys");
  const kb = Object.keys(b).filter((k) => k !== "pos" && k !== "keys");
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && sameConfig(ra[k], rb[k]));
}

const STORAGE_KEYS = ["storage.path", "storage.type", "storage.sync", "storage.checksum"] as const;

/**
 * The names of the inputs `next` declares exactly as `old` does.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./testing/assert.ts";
 * import type { PipelineConfig } from "./config/resolved.ts";
 *
 * const input = (rate: number) => ({ name: "dummy.0", plugin: "dummy", options: { rate }, pos: 1 });
 * const config = (rate: number) =>
 *   ({ service: {}, inputs: [input(rate)] }) as unknown as PipelineConfig;
 * assertEquals([...unchangedInputs(config(1), config(1))], ["dummy.0"]);
 * assertEquals([...unchangedInputs(config(1), config(2))], []);
 * ```
 */
export function unchangedInputs(old: PipelineConfig, next: PipelineConfig): Set<string> {
  const kept = new Set<string>();
  const storage = (c: PipelineConfig) => STORAGE_KEYS.map((k) => c.service[k]);
  if (!sameConfig(storage(old), storage(next))) return kept;
  for (const n of next.inputs) {
    const o = old.inputs.find((i) => i.name === n.name);
    if (o && sameConfig(o, n)) kept.add(n.name);
  }
  return kept;
}
