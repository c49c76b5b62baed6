/**
 * node:sqlite's `DatabaseSync`, loaded the first time a database is opened (the tail input's
 * `db`, the systemd input's cursor file), so an input without one never loads the module. It
 * comes through `process.getBuiltinModule`, which is synchronous: a static import would stay
 * on the start path of the bundle, which evaluates every static `node:` import at start.
 */
import type { DatabaseSync } from "node:sqlite";

type Sqlite = typeof import("node:sqlite");

/** Opens (or creates) the SQLite database at `path`. */
export function openSqlite(path: string): DatabaseSync {
  const proc = (globalThis as unknown as {
    process: { getBuiltinModule(id: string): unknown };
  }).process;
  const sqlite = proc.getBuiltinModule("node:sqlite") as Sqlite;
  return new sqlite.DatabaseSync(path);
}
