/**
 * The systemd input through the CLI on real journal files (written by
 * systemd-journal-remote from export-format text): record shape and dynamic tags, follow
 * while entries are appended, the cursor database across restarts (nothing lost, nothing
 * repeated), filters, read_from_tail, field name rewriting and binary values.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import {
  appendJournal,
  exportBytes,
  numberedEntries,
  readOut,
  startSluice,
  waitForLines,
} from "./_journal.ts";
import { waitFor } from "./_helpers.ts";

async function setup(): Promise<{ dir: string; journal: string; out: string }> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_systemd_" });
  await Deno.mkdir(`${dir}/journal`);
  return { dir, journal: `${dir}/journal/test.journal`, out: `${dir}/out.log` };
}

function yaml(dir: string, input: string): string {
  return `service:
  flush: 0.2
  log_level: info
pipeline:
  inputs:
    - name: systemd
      path: ${dir}/journal
${input.split("\n").filter((l) => l).map((l) => `      ${l}`).join("\n")}
  outputs:
    - name: file
      match: "*"
      path: ${dir}
      file: out.log
`;
}

function messages(lines: { body: Record<string, unknown> }[]): string[] {
  return lines.map((l) => String(l.body.MESSAGE ?? l.body.message));
}

function entryNumbers(lines: { body: Record<string, unknown> }[]): number[] {
  return messages(lines).map((m) => Number(m.split(" ")[1])).sort((a, b) => a - b);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

Deno.test("systemd: records as Fluent Bit makes them, tag from _SYSTEMD_UNIT, following appends", async () => {
  const { dir, journal, out } = await setup();
  await appendJournal(
    journal,
    exportBytes([
      {
        realtime: 1_700_000_000_000_001,
        fields: [["MESSAGE", "hi"], ["PRIORITY", "6"], ["_PID", "42"], [
          "_SYSTEMD_UNIT",
          "cron.service",
        ]],
      },
      {
        realtime: 1_700_000_000_500_000,
        fields: [["MESSAGE", "two tags"], ["TAG", "a"], ["TAG", "b"], ["OTHER", "x"]],
      },
    ]),
  );
  await Deno.writeTextFile(`${dir}/sluice.yaml`, yaml(dir, "tag: sd.*"));
  const run = startSluice(`${dir}/sluice.yaml`);
  try {
    const first = await waitForLines(out, 2);
    assertEquals(first[0], {
      tag: "sd.cron.service",
      time: 1700000000.000001,
      body: {
        _BOOT_ID: "0123456789abcdef0123456789abcdef",
        MESSAGE: "hi",
        PRIORITY: "6",
        _PID: "42",
        _SYSTEMD_UNIT: "cron.service",
      },
    });
    assertEquals(first[1], {
      tag: "sd.unknown",
      time: 1700000000.5,
      body: {
        _BOOT_ID: "0123456789abcdef0123456789abcdef",
        MESSAGE: "two tags",
        TAG: ["a", "b"],
        OTHER: "x",
      },
    });
    // Appended while sluice runs: followed.
    await appendJournal(journal, exportBytes(numberedEntries(0, 200)));
    const all = await waitForLines(out, 202);
    assertEquals(entryNumbers(all.slice(2)), range(0, 200));
    assertEquals(
      new Set(all.slice(2).map((l) => l.tag)),
      new Set(["sd.a.service", "sd.b.service"]),
    );
  } finally {
    assertEquals(await run.stop(), 0, run.stderr());
  }
});

Deno.test("systemd: the db cursor survives restarts; nothing lost, nothing repeated", async () => {
  const { dir, journal, out } = await setup();
  await appendJournal(journal, exportBytes(numberedEntries(0, 300)));
  await Deno.writeTextFile(`${dir}/sluice.yaml`, yaml(dir, `db: ${dir}/cursor.db\nmax_entries: 7`));
  let run = startSluice(`${dir}/sluice.yaml`);
  await waitForLines(out, 300);
  await appendJournal(journal, exportBytes(numberedEntries(300, 100)));
  await waitForLines(out, 400);
  assertEquals(await run.stop(), 0, run.stderr());
  // Written while sluice is down: read after the restart, after the stored cursor.
  await appendJournal(journal, exportBytes(numberedEntries(400, 150)));
  run = startSluice(`${dir}/sluice.yaml`);
  try {
    await waitForLines(out, 550);
    await appendJournal(journal, exportBytes(numberedEntries(550, 50)));
    await waitForLines(out, 600);
    assert(run.stderr().includes("seek_cursor="), run.stderr());
  } finally {
    assertEquals(await run.stop(), 0, run.stderr());
  }
  // A third start with nothing new sends nothing again.
  run = startSluice(`${dir}/sluice.yaml`);
  await waitFor(() => run.stderr().includes("seek_cursor="), { what: "the cursor seek" });
  await appendJournal(journal, exportBytes(numberedEntries(600, 1)));
  await waitForLines(out, 601);
  assertEquals(await run.stop(), 0, run.stderr());
  assertEquals(entryNumbers(await readOut(out)), range(0, 601));
  // Fluent Bit's table: one row, the cursor of the last entry.
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(`${dir}/cursor.db`);
  const rows = db.prepare("SELECT cursor, updated FROM in_systemd_cursor").all();
  db.close();
  assertEquals(rows.length, 1);
  assert(String(rows[0]!.cursor).includes(";i=259;"), String(rows[0]!.cursor)); // seqnum 601 = 0x259
});

Deno.test("systemd: systemd_filter ORs its entries, systemd_filter_type And requires all (.conf)", async () => {
  const { dir, journal } = await setup();
  const entries = numberedEntries(0, 40, ["a.service", "b.service", "c.service", "d.service"]);
  await appendJournal(journal, exportBytes(entries));
  const conf = (name: string, lines: string) =>
    `[SERVICE]\n    flush 0.2\n[INPUT]\n    name systemd\n    path ${dir}/journal\n${lines}` +
    `[OUTPUT]\n    name file\n    match *\n    path ${dir}\n    file ${name}\n`;
  await Deno.writeTextFile(
    `${dir}/or.conf`,
    conf(
      "or.log",
      "    systemd_filter _SYSTEMD_UNIT=a.service\n    systemd_filter _SYSTEMD_UNIT=c.service\n" +
        "    systemd_filter PRIORITY=1\n",
    ),
  );
  await Deno.writeTextFile(
    `${dir}/and.conf`,
    conf(
      "and.log",
      "    systemd_filter _SYSTEMD_UNIT=b.service\n    systemd_filter _PID=101\n" +
        "    systemd_filter_type And\n",
    ),
  );
  const want = (p: (i: number) => boolean) => range(0, 40).filter(p);
  const orWant = want((i) => i % 4 === 0 || i % 4 === 2 || i % 8 === 1);
  const andWant = want((i) => i % 4 === 1 && i % 5 === 1);
  const orRun = startSluice(`${dir}/or.conf`);
  const andRun = startSluice(`${dir}/and.conf`);
  try {
    await waitForLines(`${dir}/or.log`, orWant.length);
    await waitForLines(`${dir}/and.log`, andWant.length);
    // An entry after all of them that every filter takes: once it is in, nothing else comes.
    await appendJournal(
      journal,
      exportBytes([{
        realtime: 1_800_000_000_000_000,
        fields: [["MESSAGE", "entry 1000"], ["_PID", "101"], ["_SYSTEMD_UNIT", "b.service"], [
          "PRIORITY",
          "1",
        ]],
      }]),
    );
    assertEquals(entryNumbers(await waitForLines(`${dir}/or.log`, orWant.length + 1)), [
      ...orWant,
      1000,
    ]);
    assertEquals(entryNumbers(await waitForLines(`${dir}/and.log`, andWant.length + 1)), [
      ...andWant,
      1000,
    ]);
  } finally {
    assertEquals(await orRun.stop(), 0, orRun.stderr());
    assertEquals(await andRun.stop(), 0, andRun.stderr());
  }
});

Deno.test("systemd: read_from_tail skips what is there; strip_underscores and lowercase", async () => {
  const { dir, journal, out } = await setup();
  await appendJournal(journal, exportBytes(numberedEntries(0, 50)));
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    yaml(dir, "read_from_tail: on\nstrip_underscores: on\nlowercase: on\nmax_entries: 1"),
  );
  const run = startSluice(`${dir}/sluice.yaml`);
  try {
    await waitFor(() => run.stderr().includes("started"), { what: "sluice to start" });
    // journalctl may start after the append: keep appending until one arrives.
    let next = 50;
    await waitFor(async () => {
      await appendJournal(journal, exportBytes(numberedEntries(next++, 1)));
      return (await readOut(out)).length > 0;
    }, { intervalMs: 300, what: "an entry appended after the start" });
    await appendJournal(journal, exportBytes(numberedEntries(next, 5)));
    const lines = await waitForLines(out, 6);
    const got = entryNumbers(lines);
    assert(got[0]! >= 50, `read_from_tail read old entries: ${got}`);
    assertEquals(got.slice(-5), range(next, next + 5));
    // In the journal's field order (data object order), which depends on what the file held.
    assertEquals(Object.keys(lines[0]!.body).sort(), [
      "boot_id",
      "message",
      "pid",
      "priority",
      "systemd_unit",
    ]);
  } finally {
    assertEquals(await run.stop(), 0, run.stderr());
  }
});

Deno.test("systemd: binary and non-UTF-8 values are kept", async () => {
  const { dir, journal, out } = await setup();
  const bytes = new Uint8Array([0x66, 0xff, 0xfe, 0x00, 0x0a, 0x67]);
  const text = new TextEncoder().encode("line one\nline two\u0001 é");
  await appendJournal(
    journal,
    exportBytes([{
      realtime: 1_700_000_000_000_000,
      fields: [["MESSAGE", text], ["BLOB", bytes]],
    }]),
  );
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    yaml(dir, "").replace("file: out.log", "file: out.log\n      format: msgpack"),
  );
  const run = startSluice(`${dir}/sluice.yaml`);
  try {
    await waitFor(async () => (await Deno.stat(out).catch(() => null))?.size, { what: "output" });
  } finally {
    assertEquals(await run.stop(), 0, run.stderr());
  }
  const { decodeMulti } = await import("../src/event/msgpack.ts");
  const [event] = [...decodeMulti(await Deno.readFile(out))] as [
    [unknown, Record<string, unknown>],
  ];
  assertEquals(event[1].MESSAGE, "line one\nline two\u0001 é");
  assertEquals(event[1].BLOB, bytes);
});

Deno.test("systemd: a bad path or match is a config error at its key", async () => {
  const { dir } = await setup();
  await Deno.writeTextFile(`${dir}/file`, "");
  const cfg = `${dir}/bad.yaml`;
  await Deno.writeTextFile(
    cfg,
    yaml(dir, "systemd_filter:\n  - _SYSTEMD_UNIT=a.service\n  - lowercase=x")
      .replace(`path: ${dir}/journal`, `path: ${dir}/file`),
  );
  const { runSluice } = await import("./_helpers.ts");
  const res = await runSluice(["-c", cfg], { timeoutMs: 30_000 });
  assertEquals(res.code, 2, res.stderr);
  assert(res.stderr.includes(`${cfg}:7:7: key "path"`), res.stderr);
  assert(res.stderr.includes("given path is not a directory"), res.stderr);
  await Deno.writeTextFile(cfg, yaml(dir, "systemd_filter:\n  - lowercase=x"));
  const res2 = await runSluice(["-c", cfg], { timeoutMs: 30_000 });
  assertEquals(res2.code, 2, res2.stderr);
  assert(res2.stderr.includes("systemd_filter error: invalid input 'lowercase=x'"), res2.stderr);
});

Deno.test("systemd: every boot is read, and a journal directory empty at the start is followed", async () => {
  const { dir, journal, out } = await setup();
  await Deno.writeTextFile(`${dir}/sluice.yaml`, yaml(dir, ""));
  const run = startSluice(`${dir}/sluice.yaml`);
  try {
    await waitFor(() => run.stderr().includes("started"), { what: "sluice to start" });
    const boots = ["1".repeat(32), "2".repeat(32), "3".repeat(32)];
    await appendJournal(
      journal,
      exportBytes(
        numberedEntries(0, 30).map((e, i) => ({ ...e, boot: boots[Math.floor(i / 10)] })),
      ),
    );
    const lines = await waitForLines(out, 30);
    assertEquals(entryNumbers(lines), range(0, 30));
    assertEquals(new Set(lines.map((l) => l.body._BOOT_ID)), new Set(boots));
  } finally {
    assertEquals(await run.stop(), 0, run.stderr());
  }
  assert(!run.stderr().includes("journalctl exited"), run.stderr());
});
