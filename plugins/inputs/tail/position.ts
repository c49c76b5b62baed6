/**
 * Where a file starts being read. A stored position (offset database row for its inode)
 * applies only to the same file: same device and head fingerprint for rows sluice wrote;
 * for rows Fluent Bit wrote (no fingerprint), the same inode, the name too with
 * `db.compare_filename`, and an offset not past the file's end. A file the row does not
 * match (inode reused, content replaced) is new and read from its start. Without a row,
 * `read_from_head` (or `read_newly_discovered_files_from_head`) decides: start or end.
 */
import { headMatches } from "./fingerprint.ts";
import type { DbRow } from "./offset_db.ts";

/** The file being positioned. */
export interface Candidate {
  name: string;
  dev: number;
  size: number;
  head: Uint8Array;
  gzip: boolean;
}

/** The decision: an offset (Infinity = the end), the row it came from, rows found stale. */
export interface Position {
  offset: number;
  row?: DbRow;
  stale: DbRow[];
  why: "stored" | "replaced" | "head" | "end";
}

/** Decides the start of `file` from its inode's rows (newest first). */
export function choosePosition(
  rows: readonly DbRow[],
  file: Candidate,
  options: { fromHead: boolean; compareFilename: boolean },
): Position {
  const stale: DbRow[] = [];
  let replaced = false;
  for (const row of rows) {
    if (options.compareFilename && row.name !== file.name) {
      stale.push(row);
      continue;
    }
    if (row.fp !== undefined) {
      if (row.dev !== file.dev) continue; // an inode of another device
      if (!headMatches({ fp: row.fp, fpSize: row.fpSize ?? 0 }, file.head)) {
        stale.push(row);
        replaced = true;
        continue;
      }
    }
    if (!file.gzip && row.offset > file.size) {
      // Shorter than where we were: truncated (or replaced) while stopped.
      stale.push(row);
      replaced = true;
      continue;
    }
    return { offset: row.offset, row, stale, why: "stored" };
  }
  if (replaced) return { offset: 0, stale, why: "replaced" };
  return options.fromHead
    ? { offset: 0, stale, why: "head" }
    : { offset: Infinity, stale, why: "end" };
}
