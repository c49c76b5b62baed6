/**
 * The offset database: Fluent Bit's `in_tail_files` table in SQLite (`node:sqlite`), so
 * a database written by Fluent Bit is resumed from and one written by sluice can be
 * read by Fluent Bit. sluice keeps each file's device and head fingerprint in a table
 * of its own (`sluice_tail_files`, same ids), which Fluent Bit ignores.
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { openSqlite } from "../../../src/lazy_sqlite.ts";
import type { Identity } from "./fingerprint.ts";
import { DB_SYNC } from "./options.ts";

/** What sluice stores about a file besides Fluent Bit's columns. */
export type StoredIdentity = Identity & { path?: string };

/**
 * One stored file position. `dev`, `fp`, `fpSize` and `path` (where the file was found,
 * before any rotation) are absent on rows Fluent Bit wrote.
 */
export interface DbRow {
  id: number;
  name: string;
  offset: number;
  inode: number;
  rotated: boolean;
  dev?: number;
  fp?: string;
  fpSize?: number;
  path?: string;
}

/** How the database is opened (the `db.*` keys). */
export interface DbOptions {
  sync: string;
  journalMode: string;
  locking: boolean;
}

const CREATE_FILES = `CREATE TABLE IF NOT EXISTS in_tail_files (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, offset INTEGER, inode INTEGER,
  created INTEGER, rotated INTEGER DEFAULT 0,
  offset_marker INTEGER DEFAULT 0, offset_marker_size INTEGER DEFAULT 0)`;
const CREATE_IDENTITY = `CREATE TABLE IF NOT EXISTS sluice_tail_files (
  id INTEGER PRIMARY KEY, dev INTEGER NOT NULL, inode INTEGER NOT NULL, fp TEXT NOT NULL,
  fp_size INTEGER NOT NULL, path TEXT)`;
const SELECT = `SELECT f.id, f.name, f.offset, f.inode, f.rotated, s.dev, s.fp, s.fp_size, s.path
  FROM in_tail_files f LEFT JOIN sluice_tail_files s ON s.id = f.id AND s.inode = f.inode`;

type Raw = Record<string, unknown>;

function toRow(r: Raw): DbRow {
  const row: DbRow = {
    id: Number(r.id),
    name: String(r.name ?? ""),
    offset: Number(r.offset ?? 0),
    inode: Number(r.inode ?? 0),
    rotated: Number(r.rotated ?? 0) !== 0,
  };
  if (r.fp !== null && r.fp !== undefined) {
    row.dev = Number(r.dev);
    row.fp = String(r.fp);
    row.fpSize = Number(r.fp_size);
    if (typeof r.path === "string") row.path = r.path;
  }
  return row;
}

/** The tail input's SQLite state file. */
export class OffsetDb {
  readonly path: string;
  #db: DatabaseSync;
  #byInode: StatementSync;
  #insert: StatementSync;
  #offset: StatementSync;
  #identity: StatementSync;
  #rotate: StatementSync;
  #delete: StatementSync;
  #deleteIdentity: StatementSync;
  #closed = false;

  constructor(path: string, options: DbOptions) {
    this.path = path;
    const db = openSqlite(path);
    this.#db = db;
    try {
      db.exec(CREATE_FILES);
      db.exec(CREATE_IDENTITY);
      const own = (db.prepare("PRAGMA table_info(sluice_tail_files)").all() as Raw[])
        .map((c) => String(c.name));
      if (!own.includes("path")) db.exec("ALTER TABLE sluice_tail_files ADD COLUMN path TEXT");
      const sync = Math.max(0, DB_SYNC.indexOf(options.sync.toLowerCase() as typeof DB_SYNC[0]));
      db.exec(`PRAGMA synchronous=${sync}`);
      if (options.locking) db.exec("PRAGMA locking_mode=EXCLUSIVE");
      db.exec(`PRAGMA journal_mode=${options.journalMode.toUpperCase()}`);
      // Rows whose in_tail_files row is gone (deleted by Fluent Bit) are stale.
      db.exec("DELETE FROM sluice_tail_files WHERE id NOT IN (SELECT id FROM in_tail_files)");
      this.#byInode = db.prepare(`${SELECT} WHERE f.inode = ? ORDER BY f.id DESC`);
      this.#insert = db.prepare(
        "INSERT INTO in_tail_files (name, offset, inode, created) VALUES (?, ?, ?, ?)",
      );
      const columns = (db.prepare("PRAGMA table_info(in_tail_files)").all() as Raw[])
        .map((c) => String(c.name));
      // Fluent Bit 5's offset marker hashes bytes near the offset with an algorithm sluice
      // does not reproduce: a moved offset clears it (size 0), so no stale marker is checked.
      this.#offset = db.prepare(
        columns.includes("offset_marker_size")
          ? "UPDATE in_tail_files SET offset = ?, offset_marker = 0, offset_marker_size = 0 WHERE id = ?"
          : "UPDATE in_tail_files SET offset = ? WHERE id = ?",
      );
      this.#identity = db.prepare(
        "INSERT OR REPLACE INTO sluice_tail_files (id, dev, inode, fp, fp_size, path) " +
          "VALUES (?, ?, ?, ?, ?, ?)",
      );
      this.#rotate = db.prepare("UPDATE in_tail_files SET name = ?, rotated = 1 WHERE id = ?");
      this.#delete = db.prepare("DELETE FROM in_tail_files WHERE id = ?");
      this.#deleteIdentity = db.prepare("DELETE FROM sluice_tail_files WHERE id = ?");
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Every row for `inode`, newest first. */
  rowsForInode(inode: number): DbRow[] {
    return (this.#byInode.all(inode) as Raw[]).map(toRow);
  }

  /** Every row, oldest first. */
  rows(): DbRow[] {
    return (this.#db.prepare(`${SELECT} ORDER BY f.id`).all() as Raw[]).map(toRow);
  }

  /** Stores a new file at `offset`; returns its row id. */
  insert(name: string, offset: number, id: StoredIdentity): number {
    const r = this.#insert.run(name, offset, id.ino, Math.floor(Date.now() / 1000));
    const rowId = Number(r.lastInsertRowid);
    this.#identity.run(rowId, id.dev, id.ino, id.fp, id.fpSize, id.path ?? null);
    return rowId;
  }

  /** Records a file's head fingerprint (it grows with the file, or changes on truncation). */
  setIdentity(rowId: number, id: StoredIdentity): void {
    this.#identity.run(rowId, id.dev, id.ino, id.fp, id.fpSize, id.path ?? null);
  }

  /** Writes several offsets in one transaction; a row that vanished is reported as false. */
  setOffsets(updates: readonly { id: number; offset: number }[]): boolean[] {
    const found: boolean[] = [];
    this.#db.exec("BEGIN");
    try {
      for (const u of updates) found.push(Number(this.#offset.run(u.offset, u.id).changes) > 0);
      this.#db.exec("COMMIT");
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    }
    return found;
  }

  /** Marks a row rotated, under the name the file has now (as Fluent Bit does). */
  rotate(rowId: number, newName: string): void {
    this.#rotate.run(newName, rowId);
  }

  /** Forgets a file. */
  delete(rowId: number): void {
    this.#delete.run(rowId);
    this.#deleteIdentity.run(rowId);
  }

  /** Closes the database; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}
