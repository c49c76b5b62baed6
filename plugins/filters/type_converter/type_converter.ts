/**
 * The type_converter filter's rules: `FROM_KEY TO_KEY TYPE`, run in Fluent Bit's order
 * (every `str_key`, then `int_key`, `uint_key`, `float_key`, config order within each). A
 * converted copy is appended as TO_KEY; a failed conversion appends the original value, with
 * an error line.
 */
import {
  compileAccessor,
  putKey,
  type RecordAccessor,
} from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { sampleText } from "../../../src/event/sample_text.ts";
import { OptionError, type PluginLogger } from "../../../src/plugin.ts";
import { type CastType, castType, typecast } from "./typecast.ts";
import type { TypeConverterOptions } from "./options.ts";

/** One compiled conversion. */
export interface ConvertRule {
  fromKey: string;
  from: RecordAccessor;
  toKey: string;
  fromType: CastType;
  toType: CastType;
}

const SOURCES = [
  ["str_key", "string"],
  ["int_key", "int"],
  ["uint_key", "uint"],
  ["float_key", "float"],
] as const;

/**
 * Compiles every rule. A rule that is not 3 words, or names an unknown type, is skipped with
 * an error line, as in Fluent Bit; no rule left at all is an OptionError.
 */
export function compileRules(o: TypeConverterOptions, log: PluginLogger): ConvertRule[] {
  const rules: ConvertRule[] = [];
  for (const [key, fromType] of SOURCES) {
    for (const value of o[key]) {
      const words = value.trim().split(/\s+/).filter((w) => w !== "");
      if (words.length !== 3) {
        log.error(
          `invalid record parameters, expects 'from_key to_key type' ${words.length}: ${key} "${value}"`,
        );
        continue;
      }
      const [fromKey, toKey, type] = words as [string, string, string];
      const toType = castType(type);
      let from: RecordAccessor | undefined;
      try {
        from = compileAccessor(fromKey);
      } catch {
        from = undefined;
      }
      if (!toType || !from) {
        log.error(`configuration error. ignore the key=${fromKey} (${key} "${value}")`);
        continue;
      }
      rules.push({ fromKey, from, toKey, fromType, toType });
    }
  }
  if (rules.length === 0) {
    const key = SOURCES.find(([k]) => o[k].length > 0)?.[0] ?? "int_key";
    throw new OptionError(key, 'no rules: give at least one "FROM_KEY TO_KEY TYPE" rule');
  }
  return rules;
}

/** What {@link convertBody} reports a failed conversion to. */
export interface ConvertErrors {
  log: PluginLogger;
  /** Counts one failed conversion. */
  count(): void;
  /** The FROM_KEYs whose failure was logged already: one line each, built once. */
  logged: Set<string>;
}

/** The body with every rule's copy appended, or undefined when no rule found its key. */
export function convertBody(
  rules: readonly ConvertRule[],
  body: RecordMap,
  errors: ConvertErrors,
): RecordMap | undefined {
  let out: RecordMap | undefined;
  for (const rule of rules) {
    const value = rule.from.get(body);
    if (value === undefined && !rule.from.has(body)) continue;
    let converted = typecast(rule.fromType, rule.toType, value);
    if (converted === undefined) {
      errors.count();
      if (!errors.logged.has(rule.fromKey)) {
        errors.logged.add(rule.fromKey);
        errors.log.error(
          `failed to convert. key=${rule.fromKey}: ${rule.fromType} to ${rule.toType} of ` +
            `${
              sampleText(value, 100)
            }; the original value is appended as ${rule.toKey} (counted in ` +
            `sluice_filter_type_converter_errors_total)`,
        );
      }
      converted = value;
    }
    out ??= { ...body };
    // Fluent Bit appends a second pair when TO_KEY exists; one value per key here, at the end.
    if (Object.hasOwn(out, rule.toKey)) delete out[rule.toKey];
    putKey(out, rule.toKey, converted);
  }
  return out;
}
