/** The mem input's option table: Fluent Bit's `in_mem` keys and defaults. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's mem input (besides the common input keys). */
export const memOptions = {
  interval_sec: opt.int(1, "Seconds between records"),
  interval_nsec: opt.int(0, "Nanoseconds added to interval_sec"),
  pid: opt.int(0, "Also report this process's resident memory (proc_bytes, proc_hr)"),
} satisfies OptionTable;

/** Parsed mem input options. */
export type MemOptions = OptionValues<typeof memOptions>;
