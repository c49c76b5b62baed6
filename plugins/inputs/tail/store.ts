/**
 * Positions kept between runs: committed offsets written to the offset database in
 * batches (at most every 100 ms, and on close), row bookkeeping for opened, rotated and
 * finished files. Without `db` it only keeps nothing: every method is a no-op.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { OptionError, type PluginLogger as Logger } from "../../../src/plugin.ts";
import { type DbOptions, type DbRow, OffsetDb } from "./offset_db.ts";
import type { TailFile } from "./tail_file.ts";

/** Longest delay before a committed offset reaches the database, in ms. */
export const DB_FLUSH_MS = 100;

/** The tail input's view of its offset database. */
export class PositionStore {
  readonly db: OffsetDb | undefined;
  #log: Logger;
  #dirty = new Set<TailFile>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(db: { path: string; options: DbOptions } | undefined, log: Logger) {
    this.#log = log;
    if (!db) return;
    try {
      this.db = new OffsetDb(db.path, db.options);
    } catch (e) {
      throw new OptionError("db", `Cannot open db "${db.path}": ${errorMessage(e)}`, { cause: e });
    }
  }

  /** Runs a database operation; a failure is logged (once per kind), not thrown. */
  #try<T>(what: string, fallback: T, fn: (db: OffsetDb) => T): T {
    const db = this.db;
    if (!db || this.#closed) return fallback;
    try {
      return fn(db);
    } catch (e) {
      this.#log.once(
        "error",
        `db-${what}`,
        `cannot ${what} in ${db.path}: ${errorMessage(e)}`,
      );
      return fallback;
    }
  }

  /** Stored rows for an inode, newest first. */
  rowsForInode(inode: number): DbRow[] {
    return this.#try("read positions", [], (db) => db.rowsForInode(inode));
  }

  /** Every stored row. */
  rows(): DbRow[] {
    return this.#try("read positions", [], (db) => db.rows());
  }

  /** Gives an opened file its row: the one it resumed from, or a new one; drops stale rows. */
  register(file: TailFile, row: DbRow | undefined, stale: readonly DbRow[]): void {
    this.#try("store a file", undefined, (db) => {
      for (const s of stale) if (s.id !== row?.id) db.delete(s.id);
      if (row) {
        file.dbId = row.id;
        db.setIdentity(row.id, file);
        if (row.offset !== file.commits.committed) this.committed(file);
      } else {
        file.dbId = db.insert(file.name, file.commits.committed, file);
      }
    });
  }

  /** The file's head fingerprint grew or changed. */
  identityChanged(file: TailFile): void {
    if (file.dbId === undefined) return;
    this.#try("store a fingerprint", undefined, (db) => db.setIdentity(file.dbId!, file));
  }

  /** The file's committed offset moved: written within DB_FLUSH_MS. */
  committed(file: TailFile): void {
    if (!this.db || this.#closed) return;
    this.#dirty.add(file);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, DB_FLUSH_MS);
  }

  /** The file was renamed away from its path. */
  rotated(file: TailFile): void {
    if (file.dbId === undefined) return;
    this.#try("mark a rotation", undefined, (db) => db.rotate(file.dbId!, file.name));
  }

  /** Forgets a file (deleted and fully acknowledged). */
  forget(file: TailFile): void {
    this.flush();
    const id = file.dbId;
    file.dbId = undefined;
    if (id !== undefined) this.#try("forget a file", undefined, (db) => db.delete(id));
  }

  /** Forgets a stored row. */
  drop(row: DbRow): void {
    this.#try("forget a file", undefined, (db) => db.delete(row.id));
  }

  /** Writes every pending offset now. */
  flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const db = this.db;
    if (!db || this.#closed || this.#dirty.size === 0) return;
    const files = [...this.#dirty].filter((f) => f.dbId !== undefined);
    this.#dirty.clear();
    try {
      const found = db.setOffsets(files.map((f) => ({ id: f.dbId!, offset: f.commits.committed })));
      files.forEach((file, i) => {
        // Someone deleted the row (another process, or Fluent Bit's startup cleanup): restore it.
        if (found[i] === false) file.dbId = db.insert(file.name, file.commits.committed, file);
      });
    } catch (e) {
      this.#log.error(`cannot write offsets to ${db.path}: ${errorMessage(e)}`);
      for (const f of files) this.#dirty.add(f);
    }
  }

  /** Flushes and closes the database; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    this.db?.close();
  }
}
