/**
 * The systemd input's cursor follows delivery, not reading: entries an output never took
 * are read again after a restart (Fluent Bit saves the cursor after each read and loses
 * them), and a journalctl that dies is started again after the last entry read.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { waitFor } from "./_helpers.ts";
import {
  appendJournal,
  exportBytes,
  numberedEntries,
  readOut,
  startSluice,
  waitForLines,
} from "./_journal.ts";

function numbers(records: Record<string, unknown>[]): number[] {
  return records.map((r) => Number(String(r.MESSAGE).split(" ")[1])).sort((a, b) => a - b);
}

Deno.test("systemd: entries an output has not taken are read again after a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_systemd_delivery_" });
  await Deno.mkdir(`${dir}/journal`);
  await appendJournal(`${dir}/journal/test.journal`, exportBytes(numberedEntries(0, 50)));
  const rx = await HttpReceiver.start({ mode: { kind: "status", status: 503 } });
  try {
    await Deno.writeTextFile(
      `${dir}/sluice.yaml`,
      `service:
  flush: 0.2
  grace: 1
pipeline:
  inputs:
    - name: systemd
      path: ${dir}/journal
      db: ${dir}/cursor.db
  outputs:
    - name: http
      match: "*"
      host: 127.0.0.1
      port: ${rx.port}
      format: json_lines
      retry_limit: "no_limits"
`,
    );
    const down = startSluice(`${dir}/sluice.yaml`);
    await waitFor(() => rx.requests.length >= 1, { what: "a refused request" });
    await down.stop();
    assertEquals(rx.recordCount(), 0, "nothing was delivered");

    rx.mode = { kind: "ok" };
    const up = startSluice(`${dir}/sluice.yaml`);
    try {
      await rx.waitForRecords(50);
    } finally {
      assertEquals(await up.stop(), 0, up.stderr());
    }
    assertEquals(numbers(rx.records()), Array.from({ length: 50 }, (_, i) => i));
  } finally {
    await rx.stop();
  }
});

Deno.test("systemd: a journalctl that dies is started again after the last entry read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_systemd_restart_" });
  await Deno.mkdir(`${dir}/journal`);
  const journal = `${dir}/journal/test.journal`;
  await appendJournal(journal, exportBytes(numberedEntries(0, 100)));
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    `service:\n  flush: 0.2\npipeline:\n  inputs:\n    - name: systemd\n      path: ${dir}/journal\n` +
      `  outputs:\n    - name: file\n      match: "*"\n      path: ${dir}\n      file: out.log\n`,
  );
  const run = startSluice(`${dir}/sluice.yaml`);
  try {
    await waitForLines(`${dir}/out.log`, 100);
    const pkill = new Deno.Command("pkill", {
      args: ["-KILL", "-f", `journalctl --output=export .*--directory=${dir}/journal`],
    }).outputSync();
    assert(pkill.success, "journalctl was running");
    await waitFor(() => run.stderr().includes("journalctl exited with code 137"), {
      what: "the exit logged",
    });
    await appendJournal(journal, exportBytes(numberedEntries(100, 100)));
    await waitForLines(`${dir}/out.log`, 200);
  } finally {
    assertEquals(await run.stop(), 0, run.stderr());
  }
  const lines = await readOut(`${dir}/out.log`);
  assertEquals(numbers(lines.map((l) => l.body)), Array.from({ length: 200 }, (_, i) => i));
});

Deno.test("systemd: a stored cursor journalctl refuses is logged, and reading starts at the head", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_systemd_cursor_" });
  await Deno.mkdir(`${dir}/journal`);
  await appendJournal(`${dir}/journal/test.journal`, exportBytes(numberedEntries(0, 10)));
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(`${dir}/cursor.db`);
  db.exec("CREATE TABLE in_systemd_cursor (cursor TEXT NOT NULL, updated INTEGER)");
  db.exec("INSERT INTO in_systemd_cursor VALUES ('not-a-cursor', 0)");
  db.close();
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    `service:\n  flush: 0.2\npipeline:\n  inputs:\n    - name: systemd\n      path: ${dir}/journal\n` +
      `      db: ${dir}/cursor.db\n` +
      `  outputs:\n    - name: file\n      match: "*"\n      path: ${dir}\n      file: out.log\n`,
  );
  const run = startSluice(`${dir}/sluice.yaml`);
  try {
    const lines = await waitForLines(`${dir}/out.log`, 10);
    assertEquals(numbers(lines.map((l) => l.body)), Array.from({ length: 10 }, (_, i) => i));
    assert(run.stderr().includes("seek_cursor failed; reading from the head"), run.stderr());
  } finally {
    assertEquals(await run.stop(), 0, run.stderr());
  }
});
