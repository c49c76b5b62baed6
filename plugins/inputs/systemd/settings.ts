/**
 * The systemd input's settings from its parsed options, checked at config time: the
 * journal directory exists, every match is one libsystemd would take, journalctl is there.
 */
import { OptionError } from "../../../src/plugin.ts";
import { entryMatcher, matchArgs, matchProblem } from "./filter.ts";
import { findOnPath, type JournalctlOptions } from "./journalctl.ts";
import type { DB_SYNC, SystemdOptions } from "./options.ts";
import type { JournalEntry } from "./export_reader.ts";
import type { RecordShape } from "./records.ts";

/** What the systemd input runs with. */
export interface SystemdSettings {
  journalctl: JournalctlOptions;
  shape: RecordShape;
  maxEntries: number;
  readFromTail: boolean;
  /** An extra check on entries (`and` filters), when journalctl's matching is not exact. */
  matcher: ((entry: JournalEntry) => boolean) | undefined;
  db: { path: string; sync: typeof DB_SYNC[number] | undefined } | undefined;
}

/** Checks and converts the parsed options; throws OptionError about a key it refuses. */
export function systemdSettings(options: SystemdOptions): SystemdSettings {
  const path = options.path;
  if (path !== undefined) {
    let st: Deno.FileInfo;
    try {
      st = Deno.statSync(path);
    } catch (e) {
      throw new OptionError("path", `given path ${path} is invalid: ${(e as Error).message}`);
    }
    if (!st.isDirectory) throw new OptionError("path", `given path is not a directory: ${path}`);
  }
  for (const m of options.systemd_filter) {
    const problem = matchProblem(m);
    if (problem) throw new OptionError("systemd_filter", problem);
  }
  const command = findOnPath("journalctl");
  if (!command) {
    throw new RangeError(
      "Cannot read the journal: journalctl is not on PATH (apt-get install systemd)",
    );
  }
  const type = options.systemd_filter_type;
  return {
    journalctl: { command, path, matches: matchArgs(options.systemd_filter, type) },
    shape: {
      stripUnderscores: options.strip_underscores,
      lowercase: options.lowercase,
      maxFields: options.max_fields,
    },
    maxEntries: options.max_entries,
    readFromTail: options.read_from_tail,
    matcher: entryMatcher(options.systemd_filter, type),
    db: options.db ? { path: options.db, sync: options["db.sync"] } : undefined,
  };
}
