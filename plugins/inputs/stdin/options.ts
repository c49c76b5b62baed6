/** The stdin input's option table: Fluent Bit's `in_stdin` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's stdin input (besides the common input keys, `threaded` included). */
export const stdinOptions = {
  parser: opt.string(
    undefined,
    "Parser for each line instead of the built-in JSON handling; lines it does not match " +
      'are kept as {"log": line}',
  ),
  buffer_size: opt.size(
    16_000,
    "Read buffer size. Accepted for compatibility: sluice keeps lines of any length whole " +
      "(Fluent Bit stalls or drops a record longer than the buffer)",
  ),
} satisfies OptionTable;

/** Parsed stdin input options. */
export type StdinOptions = OptionValues<typeof stdinOptions>;
