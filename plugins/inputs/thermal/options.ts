/** The thermal input's option table: Fluent Bit's `in_thermal` keys and defaults. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

function regex(description: string) {
  return opt.custom<RegExp, RegExp | undefined>(
    (raw) => {
      const s = String(raw);
      try {
        return new RegExp(s);
      } catch (e) {
        throw new SyntaxError(`expected a regular expression, got "${s}": ${(e as Error).message}`);
      }
    },
    undefined,
    description,
    { shows: "regex" },
  );
}

/** Every key of Fluent Bit's thermal input (besides the common input keys). */
export const thermalOptions = {
  interval_sec: opt.int(1, "Seconds between records"),
  interval_nsec: opt.int(0, "Nanoseconds added to interval_sec"),
  name_regex: regex("Only devices whose name (thermal_zoneN, hwmonN) matches"),
  type_regex: regex("Only devices whose type matches"),
} satisfies OptionTable;

/** Parsed thermal input options. */
export type ThermalOptions = OptionValues<typeof thermalOptions>;
