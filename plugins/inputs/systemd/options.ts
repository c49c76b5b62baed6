/** The systemd input's option table: Fluent Bit's `in_systemd` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** The `db.sync` values, in the order of SQLite's `PRAGMA synchronous` numbers. */
export const DB_SYNC = ["off", "normal", "full", "extra"] as const;

function positive(value: number): string | undefined {
  return value > 0 ? undefined : `expected a number above 0, got ${value}`;
}

/** Every key of Fluent Bit's systemd input (besides the common input keys). */
export const systemdOptions = {
  path: opt.string(undefined, "Journal directory to read (default: the local system journal)"),
  systemd_filter: opt.multi(
    "A FIELD=value match on journal entries; may repeat (combined by systemd_filter_type)",
  ),
  systemd_filter_type: opt.choice(
    ["and", "or"] as const,
    "or",
    "How several systemd_filter matches combine: and, or",
  ),
  read_from_tail: opt.bool(false, "Start at the end of the journal (else at its head)"),
  lowercase: opt.bool(false, "Lowercase field names"),
  strip_underscores: opt.bool(false, "Remove one leading underscore from field names"),
  max_fields: opt.int(8000, "Fields kept per entry; further fields are ignored", {
    check: positive,
  }),
  max_entries: opt.int(5000, "Entries per chunk", { check: positive }),
  db: opt.string(undefined, "SQLite file keeping the journal cursor (Fluent Bit's schema)"),
  "db.sync": opt.choice(DB_SYNC, undefined, "SQLite synchronous mode: extra, full, normal, off"),
} satisfies OptionTable;

/** Parsed systemd input options. */
export type SystemdOptions = OptionValues<typeof systemdOptions>;
