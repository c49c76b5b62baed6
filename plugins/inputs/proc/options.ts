/** The proc input's option table: Fluent Bit's `in_proc` keys and defaults. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's proc input (besides the common input keys). */
export const procOptions = {
  interval_sec: opt.int(1, "Seconds between records"),
  interval_nsec: opt.int(0, "Nanoseconds added to interval_sec"),
  alert: opt.bool(false, "Only send a record while the process is not running"),
  mem: opt.bool(true, "Add the process's memory (mem.VmPeak ... mem.VmSwap)"),
  fd: opt.bool(true, "Add the number of open file descriptors (fd)"),
  proc_name: opt.string(undefined, "Name of the process to watch (its command's basename)"),
} satisfies OptionTable;

/** Parsed proc input options. */
export type ProcOptions = OptionValues<typeof procOptions>;
