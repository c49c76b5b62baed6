import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals } from "../../../src/testing/assert.ts";
import { OffsetDb } from "./offset_db.ts";

const options = { sync: "normal", journalMode: "WAL", locking: false };
const id = { dev: 3, ino: 42, fp: "00112233aabbccdd", fpSize: 12 };

async function tempDb(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_tail_db_" });
  return `${dir}/tail.db`;
}

Deno.test("OffsetDb creates Fluent Bit's in_tail_files table (v5 columns) in WAL mode", async () => {
  const path = await tempDb();
  const db = new OffsetDb(path, options);
  const rowId = db.insert("/var/log/a.log", 10, id);
  db.setOffsets([{ id: rowId, offset: 99 }]);
  db.close();
  db.close();
  const raw = new DatabaseSync(path);
  const cols = (raw.prepare("PRAGMA table_info(in_tail_files)").all() as { name: string }[])
    .map((c) => c.name);
  assertEquals(cols, [
    "id",
    "name",
    "offset",
    "inode",
    "created",
    "rotated",
    "offset_marker",
    "offset_marker_size",
  ]);
  assertEquals(
    (raw.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode,
    "wal",
  );
  const row = raw.prepare("SELECT name, offset, inode, rotated FROM in_tail_files").get();
  assertEquals({ ...row }, { name: "/var/log/a.log", offset: 99, inode: 42, rotated: 0 });
  raw.close();
});

Deno.test("OffsetDb reads rows Fluent Bit 4.x wrote (no sluice identity), newest first", async () => {
  const path = await tempDb();
  const raw = new DatabaseSync(path);
  raw.exec(`CREATE TABLE in_tail_files (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
    offset INTEGER, inode INTEGER, created INTEGER, rotated INTEGER DEFAULT 0)`);
  raw.exec(`INSERT INTO in_tail_files (name, offset, inode, created) VALUES
    ('/old.log', 5, 42, 1700000000), ('/new.log', 77, 42, 1700000001), ('/x.log', 1, 9, 1)`);
  raw.close();
  const db = new OffsetDb(path, options);
  const rows = db.rowsForInode(42);
  assertEquals(rows.map((r) => [r.name, r.offset, r.fp]), [["/new.log", 77, undefined], [
    "/old.log",
    5,
    undefined,
  ]]);
  db.close();
});

Deno.test("OffsetDb keeps identity, rotation and deletion per row", async () => {
  const db = new OffsetDb(await tempDb(), options);
  const a = db.insert("/a.log", 0, id);
  db.rotate(a, "/a.log.1");
  let [row] = db.rowsForInode(42);
  assert(row !== undefined);
  assertEquals([row.name, row.rotated, row.dev, row.fp, row.fpSize], [
    "/a.log.1",
    true,
    3,
    id.fp,
    12,
  ]);
  db.setIdentity(a, { ...id, fp: "ffffffffffffffff", fpSize: 1024 });
  [row] = db.rowsForInode(42);
  assert(row !== undefined);
  assertEquals([row.fp, row.fpSize], ["ffffffffffffffff", 1024]);
  assertEquals(db.setOffsets([{ id: a, offset: 5 }, { id: 999, offset: 1 }]), [true, false]);
  db.delete(a);
  assert(db.rowsForInode(42).length === 0);
  db.close();
});
