/**
 * End-to-end: sluice is stopped in the middle of a file (SIGTERM, then SIGKILL) and started
 * again on the same offset database; nothing is lost and nothing skipped. A graceful stop
 * sends every line exactly once; a kill may send the last unacknowledged lines twice, never
 * leave a gap. And a database Fluent Bit wrote is resumed from.
 */
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals } from "../src/testing/assert.ts";
import { runSluice, spawnSluice, waitFor } from "./_helpers.ts";

const LINES = 1_000_000;

function config(dir: string, out: string, extra = ""): string {
  return `service:\n  flush: 0.1\n  grace: 5\n  log_level: warn\npipeline:\n  inputs:\n` +
    `    - name: tail\n      path: ${dir}/app.log\n      db: ${dir}/tail.db\n` +
    `      read_from_head: on\n      exit_on_eof: on\n${extra}  outputs:\n    - name: file\n` +
    `      match: "*"\n      path: ${dir}\n      file: ${out}\n      format: plain\n`;
}

async function seqs(path: string): Promise<number[]> {
  const text = await Deno.readTextFile(path).catch(() => "");
  const out: number[] = [];
  for (const line of text.split("\n")) {
    try {
      out.push(Number(String(JSON.parse(line).log).split(" ")[1]));
    } catch {
      // the line a kill tore in half, or the empty tail
    }
  }
  return out;
}

async function countLines(path: string): Promise<number> {
  try {
    const data = await Deno.readFile(path);
    let n = 0;
    for (let i = 0; i < data.length; i++) if (data[i] === 10) n++;
    return n;
  } catch {
    return 0;
  }
}

async function stopMidFile(
  signal: "SIGTERM" | "SIGKILL",
): Promise<{ first: number[]; second: number[] }> {
  const dir = await Deno.makeTempDir({ prefix: `sluice_restart_${signal}_` });
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) lines.push(`seq ${i} ${"p".repeat(i % 40)}`);
  await Deno.writeTextFile(`${dir}/app.log`, lines.join("\n") + "\n");
  await Deno.writeTextFile(`${dir}/one.yaml`, config(dir, "one.txt"));
  await Deno.writeTextFile(`${dir}/two.yaml`, config(dir, "two.txt"));
  const child = spawnSluice(["-c", `${dir}/one.yaml`]);
  try {
    await waitFor(
      async () => (await countLines(`${dir}/one.txt`)) > (signal === "SIGKILL" ? 300_000 : 100_000),
      {
        what: "the first run to be well into the file",
        intervalMs: 10,
      },
    );
    child.kill(signal);
    const status = await child.status;
    if (signal === "SIGTERM") assertEquals(status.code, 0);
  } finally {
    await child.stderr.cancel();
    await child.stdout.cancel();
  }
  const first = await seqs(`${dir}/one.txt`);
  assert(first.length < LINES, "the first run was stopped before the end");
  const r = await runSluice(["-c", `${dir}/two.yaml`], { timeoutMs: 20_000 });
  assertEquals(r.code, 0, r.stderr);
  const second = await seqs(`${dir}/two.txt`);
  await Deno.remove(dir, { recursive: true });
  return { first, second };
}

function contiguous(list: number[], from: number, to: number): boolean {
  if (list.length !== to - from) return false;
  return list.every((s, i) => s === from + i);
}

Deno.test("tail e2e: SIGTERM mid-file, restart: every line exactly once", async () => {
  const { first, second } = await stopMidFile("SIGTERM");
  assert(contiguous(first, 0, first.length), "the first run sent a prefix, in order");
  assert(contiguous(second, first.length, LINES), "the second run sent exactly the rest");
});

Deno.test("tail e2e: SIGKILL mid-file, restart: nothing lost or skipped, replay only", async () => {
  const { first, second } = await stopMidFile("SIGKILL");
  assert(contiguous(first, 0, first.length), "the first run sent a prefix, in order");
  const resumedAt = second[0]!;
  assert(
    resumedAt <= first.length,
    `resumed at ${resumedAt}, after a gap (first run: ${first.length})`,
  );
  assert(contiguous(second, resumedAt, LINES), "the second run sent the rest, in order");
});

Deno.test("tail e2e: a database Fluent Bit wrote is resumed from", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_fbdb_" });
  const log = `${dir}/app.log`;
  await Deno.writeTextFile(log, "seq 0 old\nseq 1 old\nseq 2 new\nseq 3 new\n");
  const st = await Deno.stat(log);
  // Fluent Bit 4.x's tail_sql.h schema and the row it writes for a file read up to line 2.
  const db = new DatabaseSync(`${dir}/tail.db`);
  db.exec(
    "CREATE TABLE IF NOT EXISTS in_tail_files (  id      INTEGER PRIMARY KEY,  name    TEXT NOT NULL," +
      "  offset  INTEGER,  inode   INTEGER,  created INTEGER,  rotated INTEGER DEFAULT 0);",
  );
  db.prepare("INSERT INTO in_tail_files (name, offset, inode, created) VALUES (?, ?, ?, ?)")
    .run(log, 20, st.ino!, Math.floor(Date.now() / 1000) - 60);
  db.close();
  await Deno.writeTextFile(`${dir}/sluice.yaml`, config(dir, "out.txt"));
  const r = await runSluice(["-c", `${dir}/sluice.yaml`], { timeoutMs: 20_000 });
  assertEquals(r.code, 0, r.stderr);
  assertEquals(await seqs(`${dir}/out.txt`), [2, 3]);
  const after = new DatabaseSync(`${dir}/tail.db`);
  const row = after.prepare("SELECT name, offset, inode FROM in_tail_files").all();
  after.close();
  assertEquals(row.map((x) => ({ ...x })), [{ name: log, offset: 40, inode: st.ino! }]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("tail e2e: under a small mem_buf_limit the input pauses, resumes, loses nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_tail_pause_" });
  const n = 100_000;
  const lines = Array.from({ length: n }, (_, i) => `seq ${i} ${"m".repeat(60)}`);
  await Deno.writeTextFile(`${dir}/app.log`, lines.join("\n") + "\n");
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    config(dir, "out.txt", "      mem_buf_limit: 500k\n").replace(
      "log_level: warn",
      "log_level: info",
    ),
  );
  const r = await runSluice(["-c", `${dir}/sluice.yaml`], { timeoutMs: 20_000 });
  assertEquals(r.code, 0, r.stderr);
  assert(r.stderr.includes("paused (mem buf overlimit"), r.stderr);
  assert(r.stderr.includes("resume"), r.stderr);
  assert(contiguous(await seqs(`${dir}/out.txt`), 0, n), "every line once, in order");
  await Deno.remove(dir, { recursive: true });
});
