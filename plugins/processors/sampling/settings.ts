/**
 * `sampling_settings`: one table declares every key (Fluent Bit's and sluice's),
 * with type, default and description; the map is parsed with the same value
 * parsers as plugin options, unknown keys get a "did you mean".
 */
import { errorMessage } from "../../../src/error_message.ts";
import { opt, type OptionTable, parseValue } from "../../../src/config/options.ts";
import { parseSize, quote } from "../../../src/config/values.ts";
import { unknownWord } from "./conditions/reader.ts";

const atLeast = (min: number) => (v: number | undefined) =>
  v !== undefined && v < min ? `expected ${min} or more` : undefined;

/** Every `sampling_settings` key, its type, default and meaning. */
export const SETTINGS = {
  sampling_percentage: opt.float(10, "probabilistic: percentage of traces kept, 0 to 100", {
    check: (v) => (v !== undefined && (v < 0 || v > 100) ? "expected 0 to 100" : undefined),
  }),
  decision_wait: opt.duration(
    30,
    "tail: how long after a trace's first span it is decided (fractions allowed, e.g. 500ms)",
    { check: (v) => (v !== undefined && v <= 0 ? "expected a duration above 0" : undefined) },
  ),
  max_traces: opt.int(50_000, "tail: most traces buffered at once; see max_traces_policy", {
    check: atLeast(1),
  }),
  legacy_reconcile: opt.bool(
    false,
    "tail: accepted for compatibility; sluice always keeps spans with their own resource and scope",
  ),
  decision_wait_after_root: opt.duration(
    undefined,
    "tail (sluice): shorter wait once the root span (no parent) has arrived; unset waits the " +
      "full decision_wait, since other services' spans may still be in their exporters' batches",
  ),
  max_buffered_bytes: opt.size(
    parseSize("128M"),
    "tail (sluice): most span bytes buffered at once (estimated from chunk sizes); hitting it " +
      "applies max_traces_policy like max_traces",
    { check: atLeast(1) },
  ),
  max_traces_policy: opt.choice(
    ["decide_early", "drop_oldest"] as const,
    "decide_early",
    "tail (sluice): at max_traces or max_buffered_bytes, decide_early decides the oldest trace " +
      "now, drop_oldest drops it unevaluated; both are counted, never silent",
  ),
  decision_cache_keep_size: opt.int(
    100_000,
    "tail (sluice): trace IDs remembered as kept, so late spans of a kept trace pass at once; " +
      "0 disables",
    { check: atLeast(0) },
  ),
  decision_cache_drop_size: opt.int(
    100_000,
    "tail (sluice): trace IDs remembered as dropped, so late spans of a dropped trace are " +
      "dropped too; 0 disables",
    { check: atLeast(0) },
  ),
} satisfies OptionTable;

/** The keys that only the probabilistic type reads. */
export const PROBABILISTIC_KEYS: readonly string[] = ["sampling_percentage"];

/** Parsed `sampling_settings`, defaults filled in. */
export interface SamplingSettings {
  samplingPercentage: number;
  decisionWaitMs: number;
  decisionWaitAfterRootMs: number | undefined;
  maxTraces: number;
  maxBufferedBytes: number;
  maxTracesPolicy: "decide_early" | "drop_oldest";
  keepCacheSize: number;
  dropCacheSize: number;
  /** The keys the map set, lowercase. */
  given: ReadonlySet<string>;
}

/**
 * Parses the `sampling_settings` map (keys already lowercase, or not); absent or
 * null is all defaults. Throws SyntaxError naming the key and value.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(parseSettings({ decision_wait: "5s" }).decisionWaitMs, 5000);
 * ```
 */
export function parseSettings(raw: unknown): SamplingSettings {
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== "object" || Array.isArray(raw)) {
      throw new SyntaxError(`expected sampling_settings to be a map, got ${quote(raw)}`);
    }
    const known = Object.keys(SETTINGS);
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const key = k.toLowerCase();
      const spec = (SETTINGS as OptionTable)[key];
      if (!spec) {
        throw new SyntaxError(unknownWord(k, { what: "sampling_settings key", known }));
      }
      let parsed: unknown;
      try {
        parsed = parseValue(spec, v);
      } catch (e) {
        throw new SyntaxError(`sampling_settings key ${quote(key)}: ${errorMessage(e)}`);
      }
      const problem = spec.check?.(parsed);
      if (problem) {
        throw new SyntaxError(`sampling_settings key ${quote(key)}: ${problem}, got ${quote(v)}`);
      }
      values[key] = parsed;
      given.add(key);
    }
  }
  const get = <K extends keyof typeof SETTINGS>(k: K) =>
    (values[k] ?? SETTINGS[k].default) as NonNullable<(typeof SETTINGS)[K]["default"]>;
  const afterRoot = values.decision_wait_after_root as number | undefined;
  return {
    samplingPercentage: get("sampling_percentage"),
    decisionWaitMs: get("decision_wait") * 1000,
    decisionWaitAfterRootMs: afterRoot === undefined ? undefined : afterRoot * 1000,
    maxTraces: get("max_traces"),
    maxBufferedBytes: get("max_buffered_bytes"),
    maxTracesPolicy: get("max_traces_policy") as SamplingSettings["maxTracesPolicy"],
    keepCacheSize: get("decision_cache_keep_size"),
    dropCacheSize: get("decision_cache_drop_size"),
    given,
  };
}

/** The `sampling_settings` option's description, listing every key and its default. */
export function describeSettings(): string {
  const keys = Object.entries(SETTINGS as OptionTable).map(([k, s]) => {
    const d = s.default === undefined
      ? "unset"
      : s.type === "duration"
      ? `${s.default}s`
      : s.type === "size"
      ? `${Number(s.default) / parseSize("1M")}M`
      : String(s.default);
    return `${k} (default ${d}): ${s.description}`;
  });
  return `Type-specific settings map. Keys: ${keys.join("; ")}`;
}
