/** The netif input's option table: Fluent Bit's `in_netif` keys and defaults. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's netif input (besides the common input keys). */
export const netifOptions = {
  interface: { ...opt.string(undefined, "Network interface to watch (e.g. eth0)"), required: true },
  interval_sec: opt.int(1, "Seconds between records"),
  interval_nsec: opt.int(0, "Nanoseconds added to interval_sec"),
  verbose: opt.bool(false, "Report every /proc/net/dev column, not only bytes, packets, errors"),
  test_at_init: opt.bool(false, "Fail at start when the interface cannot be read"),
} satisfies OptionTable;

/** Parsed netif input options. */
export type NetifOptions = OptionValues<typeof netifOptions>;
