import { DatabaseSync } from "node:sqlite";
import { gzipSync } from "node:zlib";
import { assertEquals } from "../../../src/testing/assert.ts";
import { until } from "../../../src/testing/until.ts";
import type { LogChunk } from "../../../src/event/chunk.ts";
import { append, type Harness, lineOf, startTail, tempDir } from "./_testing.ts";
import { fingerprint } from "./fingerprint.ts";

function storedOffset(db: string, name: string): number | undefined {
  const raw = new DatabaseSync(db);
  try {
    const row = raw.prepare("SELECT offset FROM in_tail_files WHERE name = ? ORDER BY id DESC")
      .get(name) as { offset: number } | undefined;
    return row?.offset;
  } finally {
    raw.close();
  }
}

/** Waits until the input follows a file: its start offset is decided. */
async function following(t: Harness): Promise<void> {
  const opened = () =>
    t.ctx.metrics.value("fluentbit_input_files_opened_total", { name: "tail.0" });
  await until(() => opened() >= 1, "the file to be followed");
}

Deno.test("tail commits an offset only once its chunk is acknowledged, in order", async () => {
  const dir = await tempDir();
  const log = `${dir}/a.log`;
  const db = `${dir}/tail.db`;
  await Deno.writeTextFile(log, "one\ntwo\n");
  const t = startTail({ path: [log], read_from_head: true, db });
  const first = await t.next();
  await append(log, "three\n");
  const second = await t.next();
  second.ack.release();
  await t.stop({ ack: false }); // closing writes every committed offset to the db
  assertEquals(storedOffset(db, log), 0, "the later chunk alone does not move the offset");
  first.ack.release();
  // A restart resumes at the stored offset; acknowledging both chunks commits them.
  const again = startTail({ path: [log], read_from_head: true, db });
  assertEquals(await again.lines(3), ["one", "two", "three"]);
  await until(() => storedOffset(db, log) === 14, "offset 14");
  await again.stop();
});

Deno.test("tail resumes after a restart: unacknowledged lines again, nothing skipped", async () => {
  const dir = await tempDir();
  const log = `${dir}/a.log`;
  const db = `${dir}/tail.db`;
  await Deno.writeTextFile(log, "a\nb\n");
  const one = startTail({ path: [log], read_from_head: true, db });
  await one.lines(2);
  await until(() => storedOffset(db, log) === 4, "offset 4");
  await append(log, "c\n");
  await one.next(); // read, never acknowledged: as if the process died before delivery
  await one.input.close();
  await append(log, "d\n");
  const two = startTail({ path: [log], read_from_head: true, db });
  assertEquals(await two.lines(2), ["c", "d"]);
  await two.stop();
  await until(() => storedOffset(db, log) === 8, "offset 8");
});

Deno.test("tail resumes from a database Fluent Bit wrote (v4 and v5 schemas)", async () => {
  for (const v5 of [false, true]) {
    const dir = await tempDir();
    const log = `${dir}/app.log`;
    const db = `${dir}/fb.db`;
    await Deno.writeTextFile(log, "seen 1\nseen 2\nnew 3\n");
    const st = await Deno.stat(log);
    const raw = new DatabaseSync(db);
    raw.exec(`CREATE TABLE IF NOT EXISTS in_tail_files (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
      offset INTEGER, inode INTEGER, created INTEGER, rotated INTEGER DEFAULT 0
      ${v5 ? ", offset_marker INTEGER DEFAULT 0, offset_marker_size INTEGER DEFAULT 0" : ""});`);
    raw.prepare("INSERT INTO in_tail_files (name, offset, inode, created) VALUES (?, ?, ?, ?)")
      .run(log, 14, st.ino!, 1700000000);
    raw.close();
    const t = startTail({ path: [log], db, read_from_head: true });
    assertEquals(await t.lines(1), ["new 3"]);
    await t.stop();
    await until(() => storedOffset(db, log) === 20, "offset 20");
  }
});

Deno.test("tail reads a reused inode from its start: the stored head does not match", async () => {
  const dir = await tempDir();
  const log = `${dir}/app.log`;
  const db = `${dir}/tail.db`;
  await Deno.writeTextFile(log, "brand new file\nline 2\n");
  const st = await Deno.stat(log);
  // A row for this inode from a file that was deleted while sluice was stopped.
  const raw = new DatabaseSync(db);
  raw.exec(`CREATE TABLE in_tail_files (id INTEGER PRIMARY KEY, name TEXT NOT NULL, offset INTEGER,
    inode INTEGER, created INTEGER, rotated INTEGER DEFAULT 0, offset_marker INTEGER DEFAULT 0,
    offset_marker_size INTEGER DEFAULT 0)`);
  raw.exec(`CREATE TABLE sluice_tail_files (id INTEGER PRIMARY KEY, dev INTEGER NOT NULL,
    inode INTEGER NOT NULL, fp TEXT NOT NULL, fp_size INTEGER NOT NULL)`);
  raw.prepare(
    "INSERT INTO in_tail_files (id, name, offset, inode, created) VALUES (1, ?, 15, ?, 1)",
  )
    .run(log, st.ino!);
  const oldHead = fingerprint(new TextEncoder().encode("an old file's f"));
  raw.prepare("INSERT INTO sluice_tail_files VALUES (1, ?, ?, ?, 15)").run(
    st.dev,
    st.ino!,
    oldHead,
  );
  raw.close();
  const t = startTail({ path: [log], db });
  assertEquals(await t.lines(2), ["brand new file", "line 2"]);
  await t.stop();
});

Deno.test("tail finishes after a restart a rotated file the previous run had not finished", async () => {
  const dir = await tempDir();
  const log = `${dir}/app.log`;
  const db = `${dir}/tail.db`;
  await Deno.writeTextFile(log, "");
  const one = startTail({ path: [log], db, rotate_wait: 30 });
  const first = one.lines(1);
  await following(one);
  await append(log, "old 1\n");
  await first;
  await until(() => storedOffset(db, log) === 6, "offset 6");
  const pulling = one.next(3000).catch(() => {}); // the engine keeps pulling
  await Deno.rename(log, `${log}.1`);
  await Deno.writeTextFile(log, "");
  await until(() => storedOffset(db, `${log}.1`) === 6, "the row renamed to app.log.1");
  await one.input.close();
  await pulling;
  // While stopped: the old file gets its last lines, the new one its first.
  await append(`${log}.1`, "old 2\n");
  await append(log, "new 1\n");
  const two = startTail({ path: [log], db, read_from_head: false });
  assertEquals((await two.lines(2)).toSorted(), ["new 1", "old 2"]);
  await two.stop();
});

Deno.test("tail never commits past lines a multiline message still holds", async () => {
  const dir = await tempDir();
  const log = `${dir}/a.log`;
  const db = `${dir}/tail.db`;
  await Deno.writeTextFile(
    log,
    "plain\nException in thread x java.lang.Error: e\n    at a.b(C.java:1)\n",
  );
  const t = startTail({ path: [log], db, read_from_head: true, "multiline.parser": ["java"] });
  assertEquals(await t.lines(1), ["plain"]);
  await until(() => storedOffset(db, log) === 6, "offset 6 (before the held trace)");
  // The engine keeps pulling: the input reads a further line of the trace and holds it too.
  const pulling = t.next().catch(() => undefined);
  await append(log, "    at b.c(D.java:2)\n");
  const { size } = await Deno.stat(log);
  const file = [...t.input.files.byKey.values()][0];
  await until(() => file!.reader.nextOffset === size, "the appended line to be read");
  // The stop hands out the held trace; unacknowledged, it keeps the offset where it was.
  const rest = await t.stop({ ack: false });
  const held = [await pulling, ...rest].filter((c) => c !== undefined);
  assertEquals(held.flatMap((c) => (c as LogChunk).records.map((r) => lineOf(r.body))), [
    "Exception in thread x java.lang.Error: e\n    at a.b(C.java:1)\n    at b.c(D.java:2)",
  ]);
  assertEquals(storedOffset(db, log), 6, "no offset past the held trace was written");
});

Deno.test("tail finishes after a restart a file rotated while it was stopped", async () => {
  const dir = await tempDir();
  const log = `${dir}/app.log`;
  const db = `${dir}/tail.db`;
  await Deno.writeTextFile(log, "");
  const one = startTail({ path: [log], db }, { tag: "app.*" });
  const first = one.lines(1);
  await following(one);
  await append(log, "read 1\n");
  await first;
  await until(() => storedOffset(db, log) === 7, "offset 7");
  await one.stop();
  // While stopped: more lines, then a rename rotation and a new file.
  await append(log, "unread 2\n");
  await Deno.rename(log, `${log}.1`);
  await append(`${log}.1`, "unread 3\n");
  await Deno.writeTextFile(log, "new 1\n");
  const two = startTail({ path: [log], db, path_key: "p" }, { tag: "app.*" });
  const lines = (await two.lines(3).catch((e) => {
    throw new Error(`${e.message}\n${two.ctx.logLines.join("\n")}`);
  })).map((l) => JSON.parse(l));
  assertEquals(lines.map((b) => b.log).toSorted(), ["new 1", "unread 2", "unread 3"]);
  assertEquals(
    lines.map((b) => b.p),
    [log, log, log],
    "records name the path they were written to",
  );
  assertEquals(new Set(two.chunks.map((c) => c.tag)).size, 1, "the same tag before and after");
  await two.stop();
});

Deno.test("tail resumes a .gz file at its decompressed offset", async () => {
  const dir = await tempDir();
  const gz = `${dir}/old.log.gz`;
  const db = `${dir}/tail.db`;
  const text = Array.from({ length: 100 }, (_, i) => `gz ${i}`).join("\n") + "\n";
  await Deno.writeFile(gz, gzipSync(new TextEncoder().encode(text)));
  const one = startTail({ path: [gz], db, read_from_head: true, exit_on_eof: true });
  assertEquals((await one.lines(100))[99], "gz 99");
  await one.stop();
  assertEquals(storedOffset(db, gz), text.length);
  const two = startTail({ path: [gz], db, read_from_head: true, exit_on_eof: true });
  assertEquals(await two.drain(), []);
});
