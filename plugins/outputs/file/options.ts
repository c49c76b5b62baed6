/** The file output's option table: Fluent Bit's `out_file` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** The `format` values of Fluent Bit's file output (unset is `out_file`). */
export const FILE_FORMATS = ["out_file", "plain", "csv", "ltsv", "template", "msgpack"] as const;

const ACTIONS = ["error", "drop", "fallback"] as const;

/** Every key of Fluent Bit's file output (besides the common output keys). */
export const fileOptions = {
  path: opt.string(undefined, "Directory to write the files in; unset is the working directory"),
  file: opt.string(undefined, "File name to write the records to; unset is the record tag"),
  format: opt.choice(
    FILE_FORMATS,
    undefined,
    "File content format: plain (JSON body), csv, ltsv, template or msgpack; unset writes " +
      '"tag: [time, {json}]" lines',
  ),
  delimiter: opt.string(
    undefined,
    "Field separator for csv (default ,) and ltsv (default tab): \\t or tab, space, comma",
  ),
  label_delimiter: opt.string(
    undefined,
    "Label/value separator for ltsv (default :): \\t or tab, space, comma",
  ),
  template: opt.string("{time} {message}", "Line template; {key} is a body value, {time} the time"),
  csv_column_names: opt.bool(false, "Write the column names (keys) as the first line of a file"),
  mkdir: opt.bool(
    true,
    "Create the output directory (and parents, mode 0755) when missing (Fluent Bit: off)",
  ),
  rotate: opt.bool(false, "Rotate the output file when it reaches rotate_max_size"),
  rotate_max_size: opt.size(104_857_600, "Size at which the output file is rotated"),
  rotate_max_files: opt.int(7, "Rotated files to keep per output file (at least 1)"),
  rotate_gzip: opt.bool(true, "Compress rotated files with gzip"),
  enable_strftime: opt.bool(
    false,
    "Expand strftime placeholders in path and file with the record time (not supported yet)",
  ),
  max_dynamic_files: opt.int(
    1024,
    "Accepted for compatibility; not used: record-accessor destinations are not supported yet",
  ),
  on_missing_field: opt.choice(
    ACTIONS,
    "error",
    "Accepted for compatibility; not used: record-accessor destinations are not supported yet",
  ),
  on_limit_reached: opt.choice(
    ACTIONS,
    "error",
    "Accepted for compatibility; not used: record-accessor destinations are not supported yet",
  ),
  fallback_path: opt.string(
    undefined,
    "Accepted for compatibility; not used: record-accessor destinations are not supported yet",
  ),
  fallback_file: opt.string(
    undefined,
    "Accepted for compatibility; not used: record-accessor destinations are not supported yet",
  ),
  atomic_chunks: opt.bool(
    false,
    "Publish each chunk as its own immutable file (not supported yet)",
  ),
} satisfies OptionTable;

/** Parsed file output options. */
export type FileOptions = OptionValues<typeof fileOptions>;
