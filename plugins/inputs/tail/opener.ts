/**
 * Discovery: opening the files `path` matches that are not followed yet, each at the
 * position the offset database (or an earlier finish, or the start options) gives it.
 * At startup, rotated files a previous run had not finished are reopened and read to
 * their end, and rows of files that no longer exist are dropped.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { dirname } from "node:path";
import type { InputContext } from "../../../src/plugin.ts";
import { findByInode } from "./checks.ts";
import type { FileSet, Finished } from "./file_set.ts";
import { fileKey } from "./fingerprint.ts";
import type { TailMetrics } from "./metrics.ts";
import type { DbRow } from "./offset_db.ts";
import { choosePosition, type Position } from "./position.ts";
import { scanPaths } from "./scan.ts";
import type { TailSettings } from "./settings.ts";
import type { PositionStore } from "./store.ts";
import { openFile, type TailFile } from "./tail_file.ts";

/** What discovery works with. */
export interface Opener {
  settings: TailSettings;
  ctx: InputContext;
  store: PositionStore;
  files: FileSet;
  metrics: TailMetrics;
}

function finishedRow(f: Finished): DbRow {
  return {
    id: f.dbId ?? -1,
    name: f.name,
    offset: f.end,
    inode: f.ino,
    rotated: true,
    dev: f.dev,
    fp: f.fp,
    fpSize: f.fpSize,
  };
}

/** Opens one file; null when it is gone, cannot be tagged, or (with `stored`) has no row. */
async function openOne(
  o: Opener,
  path: string,
  options: { fromHead: boolean; stored?: boolean; tagPath?: string },
): Promise<TailFile | null> {
  let tag: string;
  try {
    tag = o.settings.tag(options.tagPath ?? path);
  } catch (e) {
    o.ctx.log.error(`cannot tag ${path}: ${errorMessage(e)}`);
    return null;
  }
  let decided: Position = { offset: 0, stale: [], why: "head" };
  let file: TailFile | null;
  try {
    file = await openFile(path, {
      tag,
      read: o.settings.read,
      position(stat, head, gzip) {
        const ino = stat.ino ?? 0;
        const rows = o.store.rowsForInode(ino);
        const fin = o.files.finished.get(fileKey(stat.dev, ino));
        decided = choosePosition(fin ? [finishedRow(fin), ...rows] : rows, {
          name: path,
          dev: stat.dev,
          size: stat.size,
          head,
          gzip,
        }, { fromHead: options.fromHead, compareFilename: o.settings.compareFilename });
        return decided.offset;
      },
    });
  } catch (e) {
    o.ctx.log.error(`cannot open ${path}: ${errorMessage(e)}`);
    return null;
  }
  if (!file) return null;
  const stale = decided.stale.filter((r) => r.id >= 0);
  if (o.files.byKey.has(file.key) || (options.stored && decided.why !== "stored")) {
    file.close();
    for (const r of stale) o.store.drop(r);
    return null;
  }
  let real: string | undefined;
  try {
    real = await Deno.realPath(path);
  } catch {
    real = undefined;
  }
  if (options.tagPath) file.recordPath = options.tagPath;
  o.files.add(file, real);
  const row = decided.row && decided.row.id >= 0 ? decided.row : undefined;
  o.store.register(file, row, stale);
  o.metrics.opened();
  o.ctx.log.debug(
    `following ${path} (inode ${file.ino}) from offset ${file.reader.nextOffset} (${decided.why})`,
  );
  return file;
}

/**
 * At startup: reopens, to read them to their end, the files of stored rows that are no
 * longer at their path's name: rotated before (the row says so) or while sluice was stopped
 * (found by inode in the same directory). Rows of files that are gone are dropped.
 */
async function resume(o: Opener): Promise<Set<string>> {
  const moved = new Set<string>();
  for (const row of o.store.rows()) {
    let st: Deno.FileInfo | undefined;
    try {
      st = await Deno.stat(row.name);
    } catch {
      st = undefined;
    }
    const same = st !== undefined && (st.ino ?? 0) === row.inode &&
      (row.dev === undefined || row.dev === st.dev);
    if (same && !row.rotated) continue; // still at its path: the scan finds it
    const path = same ? row.name : await findByInode(dirname(row.name), row.inode, row.dev);
    if (path === undefined) {
      o.store.drop(row);
      continue;
    }
    // The path it was found at now holds a newer file (or will): read that from its start.
    moved.add(same ? row.path ?? row.name : row.name);
    const stat = await Deno.stat(path).catch(() => undefined);
    if (!stat || o.files.byKey.has(fileKey(stat.dev, row.inode))) continue;
    const file = await openOne(o, path, { fromHead: false, stored: true, tagPath: row.name });
    if (!file) continue;
    file.state = "rotated";
    o.store.rotated(file);
    o.ctx.log.info(`resuming rotated ${path} at offset ${file.reader.nextOffset}`);
  }
  return moved;
}

/** Opens every matching file not followed yet; `initial` at startup. */
export async function openFiles(o: Opener, initial: boolean): Promise<void> {
  const s = o.settings;
  // A file now at the path of one rotated while sluice was stopped is new since then.
  const moved = initial ? await resume(o) : new Set<string>();
  const oldest = s.ignoreOlderMs > 0 ? Date.now() - s.ignoreOlderMs : -Infinity;
  for (const path of await scanPaths(s.patterns, s.exclude)) {
    let st: Deno.FileInfo;
    try {
      st = await Deno.stat(path);
    } catch {
      continue;
    }
    if (!st.isFile || o.files.byKey.has(fileKey(st.dev, st.ino ?? 0))) continue;
    if ((st.mtime?.getTime() ?? Date.now()) < oldest) continue;
    const fromHead = initial && !moved.has(path) ? s.readFromHead : s.readNewFromHead;
    await openOne(o, path, { fromHead });
  }
}

/**
 * Opens the copy copytruncate left of `original` at `offset` (where reading the original
 * stopped), as a rotated file with the original's tag and path; null when it is gone or
 * already followed.
 */
export async function openCopy(
  o: Opener,
  path: string,
  offset: number,
  original: TailFile,
): Promise<TailFile | null> {
  let file: TailFile | null;
  try {
    const read = o.settings.read;
    file = await openFile(path, { tag: original.tag, read, position: () => offset });
  } catch (e) {
    o.ctx.log.error(`cannot open ${path}: ${errorMessage(e)}`);
    return null;
  }
  if (!file) return null;
  if (o.files.byKey.has(file.key)) {
    file.close();
    return null;
  }
  file.state = "rotated";
  file.copy = true;
  file.recordPath = original.recordPath;
  o.files.add(file, undefined);
  o.store.register(file, undefined, []);
  o.metrics.opened();
  return file;
}
