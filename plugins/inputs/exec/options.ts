/** The exec input's option table: Fluent Bit's `in_exec` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's exec input (besides the common input keys). */
export const execOptions = {
  command: {
    ...opt.string(
      undefined,
      "Shell command to run (with /bin/sh -c); each stdout line is a record",
    ),
    required: true,
  },
  parser: opt.string(undefined, 'Parser for each line instead of {"exec": line}'),
  interval_sec: opt.int(1, "Seconds between runs"),
  interval_nsec: opt.int(0, "Nanoseconds added to interval_sec"),
  buf_size: opt.size(
    4096,
    "Read buffer size. Accepted for compatibility: sluice keeps lines of any length whole " +
      "(Fluent Bit splits a longer line into several records)",
  ),
  oneshot: opt.bool(false, "Run the command once instead of every interval"),
  exit_after_oneshot: opt.bool(
    false,
    "Stop the service once the one-shot command exits (implies oneshot)",
  ),
  propagate_exit_code: opt.bool(
    false,
    "With exit_after_oneshot: exit with the command's exit code (128+N for signal N)",
  ),
} satisfies OptionTable;

/** Parsed exec input options. */
export type ExecOptions = OptionValues<typeof execOptions>;
