/** The disk input's option table: Fluent Bit's `in_disk` keys and defaults. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's disk input (besides the common input keys). */
export const diskOptions = {
  interval_sec: opt.int(1, "Seconds between records"),
  interval_nsec: opt.int(0, "Nanoseconds added to interval_sec"),
  dev_name: opt.string(undefined, "Only devices whose name contains this (default: all)"),
} satisfies OptionTable;

/** Parsed disk input options. */
export type DiskOptions = OptionValues<typeof diskOptions>;
