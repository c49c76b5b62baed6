/** The tail input's option table: Fluent Bit's `in_tail` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

function positive(value: number): string | undefined {
  return value > 0 ? undefined : `expected a duration above 0, got ${value}`;
}

/** The `db.sync` values, in the order of SQLite's `PRAGMA synchronous` numbers. */
export const DB_SYNC = ["off", "normal", "full", "extra"] as const;

/** The `db.journal_mode` values SQLite accepts. */
export const DB_JOURNAL_MODES = ["DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF"] as const;

/** Every key of Fluent Bit's tail input (besides the common input keys). */
export const tailOptions = {
  path: { ...opt.list([], "Files to read: glob patterns, comma-separated"), required: true },
  exclude_path: opt.list([], "Shell patterns of files not to read, comma-separated"),
  path_key: opt.string(undefined, "Add the file's path to each record under this key"),
  offset_key: opt.string(undefined, "Add the line's byte offset in its file under this key"),
  key: opt.string("log", "Key of the unparsed line"),
  tag_regex: opt.string(
    undefined,
    "Regular expression with named groups matched on the path; <name> in the tag takes its value",
  ),
  buffer_chunk_size: opt.size(
    32_000,
    "Accepted for compatibility: sluice reads blocks of 1 MiB whatever this says",
  ),
  buffer_max_size: opt.size(
    32_000,
    "Longest line skip_long_lines and truncate_long_lines act on; without either, longer " +
      "lines are kept whole (Fluent Bit stops reading the file)",
  ),
  skip_long_lines: opt.bool(false, "Skip lines longer than buffer_max_size and keep reading"),
  truncate_long_lines: opt.bool(
    false,
    "Keep the first buffer_max_size bytes of a longer line (UTF-8 safe) instead of skipping it",
  ),
  skip_empty_lines: opt.bool(false, "Skip empty lines"),
  refresh_interval: opt.duration(60, "Seconds between rescans of the path patterns", {
    check: positive,
  }),
  rotate_wait: opt.duration(
    5,
    "Seconds a rotated file is kept open after it was read to its end, for late writes",
    { check: positive },
  ),
  watcher_interval: opt.duration(
    2,
    "Accepted for compatibility (symlink changes are checked on stat)",
  ),
  progress_check_interval: opt.duration(
    2,
    "Seconds between stat checks of every file (growth, truncation, rotation, deletion)",
    { check: positive },
  ),
  progress_check_interval_nsec: opt.int(0, "Nanoseconds added to progress_check_interval"),
  ignore_older: opt.duration(0, "Ignore files not modified for this long (0 = read all)"),
  ignore_active_older_files: opt.bool(
    false,
    "Also stop following files already being read once they are older than ignore_older",
  ),
  read_from_head: opt.bool(
    false,
    "Read files found at startup without a stored position from their start (else from the end)",
  ),
  read_newly_discovered_files_from_head: opt.bool(
    true,
    "Read files that appear after startup from their start",
  ),
  static_batch_size: opt.size(50_000_000, "Accepted for compatibility"),
  event_batch_size: opt.size(50_000_000, "Accepted for compatibility"),
  exit_on_eof: opt.bool(false, "End the input once every file has been read to its end"),
  file_cache_advise: opt.bool(true, "Accepted for compatibility"),
  inotify_watcher: opt.bool(
    true,
    "Wake on file system events; off polls with stat every 250 ms (progress checks still run)",
  ),
  db: opt.string(undefined, "SQLite file keeping each file's position (Fluent Bit's schema)"),
  "db.sync": opt.choice(DB_SYNC, "normal", "SQLite synchronous mode"),
  "db.locking": opt.bool(false, "Lock the database exclusively (PRAGMA locking_mode=EXCLUSIVE)"),
  "db.journal_mode": opt.choice(DB_JOURNAL_MODES, "WAL", "SQLite journal mode"),
  "db.compare_filename": opt.bool(
    false,
    "A stored position applies only when the file's name matches too",
  ),
  parser: opt.string(undefined, "Parser for each line; lines it does not match stay {key: line}"),
  "multiline.parser": opt.list(
    [],
    "Multiline parsers tried in order (docker, cri, go, python, java, ruby or the config's)",
  ),
  multiline: opt.bool(false, "Old multiline mode with parser_firstline and parser_N"),
  multiline_flush: opt.duration(4, "Old multiline mode: seconds before a pending message is sent"),
  parser_firstline: opt.string(undefined, "Old multiline mode: parser matching a first line"),
  parser_1: opt.string(undefined, "Old multiline mode: parser 1 for continuation lines"),
  parser_2: opt.string(undefined, "Old multiline mode: parser 2 for continuation lines"),
  parser_3: opt.string(undefined, "Old multiline mode: parser 3 for continuation lines"),
  parser_4: opt.string(undefined, "Old multiline mode: parser 4 for continuation lines"),
  parser_5: opt.string(undefined, "Old multiline mode: parser 5 for continuation lines"),
  parser_6: opt.string(undefined, "Old multiline mode: parser 6 for continuation lines"),
  parser_7: opt.string(undefined, "Old multiline mode: parser 7 for continuation lines"),
  parser_8: opt.string(undefined, "Old multiline mode: parser 8 for continuation lines"),
  parser_9: opt.string(undefined, "Old multiline mode: parser 9 for continuation lines"),
  docker_mode: opt.bool(false, "Join Docker JSON log lines split at 16 KB"),
  docker_mode_flush: opt.duration(4, "Docker mode: seconds before a pending line is sent"),
  docker_mode_parser: opt.string(undefined, "Docker mode: parser matching a first line"),
  "unicode.encoding": opt.choice(
    ["UTF-16LE", "UTF-16BE", "auto"] as const,
    undefined,
    "Source encoding: UTF-16LE, UTF-16BE or auto (BOM)",
  ),
  "generic.encoding": opt.string(
    undefined,
    "Source encoding converted to UTF-8: ShiftJIS, UHC, GBK, GB18030, Big5, Win866, Win874, " +
      "Win1250-Win1256 (and CP names)",
  ),
  "windows.path_encoding": opt.choice(
    ["ansi", "utf8"] as const,
    "ansi",
    "Accepted for compatibility (Windows only)",
  ),
} satisfies OptionTable;

/** Parsed tail input options. */
export type TailOptions = OptionValues<typeof tailOptions>;
