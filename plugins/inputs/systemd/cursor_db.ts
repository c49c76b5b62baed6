/**
 * The cursor database: Fluent Bit's `in_systemd_cursor` table in SQLite (`node:sqlite`),
 * one row holding the cursor of the last entry handed on, so a database written by Fluent
 * Bit is resumed from and one written by sluice can be read by Fluent Bit.
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { openSqlite } from "../../../src/lazy_sqlite.ts";
import type { PluginLogger } from "../../../src/plugin.ts";
import { DB_SYNC } from "./options.ts";

const CREATE =
  "CREATE TABLE IF NOT EXISTS in_systemd_cursor (cursor TEXT NOT NULL, updated INTEGER)";

/** The systemd input's SQLite state file. */
export class CursorDb {
  #db: DatabaseSync;
  #update: StatementSync;
  #closed = false;

  constructor(path: string, options: { sync?: typeof DB_SYNC[number]; log: PluginLogger }) {
    const db = openSqlite(path);
    this.#db = db;
    try {
      db.exec(CREATE);
      if (options.sync) db.exec(`PRAGMA synchronous=${DB_SYNC.indexOf(options.sync)}`);
      const rows = Number(
        (db.prepare("SELECT COUNT(*) AS n FROM in_systemd_cursor").get() as { n: number }).n,
      );
      if (rows > 1) {
        options.log.warn(
          `db: table in_systemd_cursor has ${rows} rows instead of one; keeping the last`,
        );
        db.exec(
          "DELETE FROM in_systemd_cursor WHERE ROWID < (SELECT MAX(ROWID) FROM in_systemd_cursor)",
        );
      }
      if (rows === 0) {
        // Fluent Bit inserts a first row with an empty cursor; updates then rewrite it.
        db.prepare("INSERT INTO in_systemd_cursor (cursor, updated) VALUES ('', ?)")
          .run(Math.floor(Date.now() / 1000));
      }
      this.#update = db.prepare("UPDATE in_systemd_cursor SET cursor = ?, updated = ?");
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** The stored cursor, or undefined when none was stored yet. */
  get(): string | undefined {
    const row = this.#db.prepare("SELECT cursor FROM in_systemd_cursor LIMIT 1").get() as
      | { cursor: string }
      | undefined;
    return row?.cursor ? row.cursor : undefined;
  }

  /** Stores `cursor`. */
  set(cursor: string): void {
    if (!this.#closed) this.#update.run(cursor, Math.floor(Date.now() / 1000));
  }

  /** Closes the database; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}
