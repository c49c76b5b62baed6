/** The cpu input's option table: Fluent Bit's `in_cpu` keys and defaults. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's cpu input (besides the common input keys). */
export const cpuOptions = {
  pid: opt.int(-1, "Measure this process instead of the whole system (-1: the system)"),
  interval_sec: opt.int(1, "Seconds between records"),
  interval_nsec: opt.int(0, "Nanoseconds added to interval_sec"),
} satisfies OptionTable;

/** Parsed cpu input options. */
export type CpuOptions = OptionValues<typeof cpuOptions>;
