/**
 * The systemd input side by side with Fluent Bit 4.2.8 (built with libsystemd) on the same
 * journal directory and the same .conf: the same JSON lines, and a cursor database written
 * by sluice that Fluent Bit resumes from. Skips when the ../shared peer is absent.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { appendJournal, exportBytes, numberedEntries, startSluice } from "./_journal.ts";
import { waitFor } from "./_helpers.ts";

const peer = await fluentBitPath();

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l.startsWith("{"));
}

Deno.test({
  name: "systemd: the same records as Fluent Bit's in_systemd; each resumes from the other's db",
  ignore: peer === null,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "sluice_systemd_fb_" });
    await Deno.mkdir(`${dir}/journal`);
    const journal = `${dir}/journal/test.journal`;
    const entries = numberedEntries(0, 30, ["a.service", "b.service", "c.service"]);
    entries[3] = {
      realtime: entries[3]!.realtime,
      fields: [["MESSAGE", "entry 3"], ["TAG", "x"], ["TAG", "y"], ["TAG", "z"], ["_UID", "0"]],
    };
    // The time is the entry's own realtime, not _SOURCE_REALTIME_TIMESTAMP; a value with a
    // newline is exported in the binary form.
    entries[5] = {
      realtime: entries[5]!.realtime,
      fields: [
        ["MESSAGE", new TextEncoder().encode("entry 5\nsecond line\ttab é")],
        ["_SOURCE_REALTIME_TIMESTAMP", "1600000000000000"],
        ["_SYSTEMD_UNIT", "b.service"],
      ],
    };
    await appendJournal(journal, exportBytes(entries));
    const conf = (db: string) =>
      `[SERVICE]\n    flush 0.2\n    log_level info\n` +
      `[INPUT]\n    name systemd\n    path ${dir}/journal\n    tag sd.*\n${db}` +
      `[OUTPUT]\n    name stdout\n    match *\n    format json_lines\n`;
    await Deno.writeTextFile(`${dir}/plain.conf`, conf(""));
    await Deno.writeTextFile(`${dir}/db.conf`, conf(`    db ${dir}/cursor.db\n`));

    await Deno.writeTextFile(
      `${dir}/shaped.conf`,
      conf(
        "    strip_underscores on\n    lowercase on\n    max_fields 4\n" +
          "    systemd_filter _SYSTEMD_UNIT=a.service\n    systemd_filter TAG=y\n",
      ),
    );
    for (const [name, n] of [["plain", 30], ["shaped", 10]] as const) {
      const fb = spawnFluentBit(peer!, ["-c", `${dir}/${name}.conf`]);
      await waitFor(() => lines(fb.stdout()).length >= n, { what: `Fluent Bit's ${n} lines` });
      await fb.stop();
      const ours = startSluice(`${dir}/${name}.conf`);
      await waitFor(() => lines(ours.stdout()).length >= n, { what: `sluice's ${n} lines` });
      assertEquals(await ours.stop(), 0, ours.stderr());
      // Fluent Bit's stdout writes each tag's chunk in turn: compare in entry order.
      assertEquals(lines(ours.stdout()).sort(), lines(fb.stdout()).sort(), name);
      assertEquals(lines(ours.stdout()).length, n, name);
    }

    // sluice stores the cursor; Fluent Bit goes on after it with the entries added since.
    const withDb = startSluice(`${dir}/db.conf`);
    await waitFor(() => lines(withDb.stdout()).length >= 30, { what: "sluice's 30 lines" });
    assertEquals(await withDb.stop(), 0, withDb.stderr());
    await appendJournal(journal, exportBytes(numberedEntries(30, 5)));
    const resumed = spawnFluentBit(peer!, ["-c", `${dir}/db.conf`]);
    await waitFor(() => lines(resumed.stdout()).length >= 5, { what: "Fluent Bit's 5 lines" });
    // It reads in journal order, so a repeated old entry would be among these five.
    await waitFor(() => resumed.stderr().includes("seek_cursor"), { what: "its cursor seek" });
    await resumed.stop();
    const messages = lines(resumed.stdout()).map((l) => JSON.parse(l).MESSAGE).sort();
    assertEquals(messages, ["entry 30", "entry 31", "entry 32", "entry 33", "entry 34"]);

    // And the other way: sluice goes on after the cursor Fluent Bit stored.
    await appendJournal(journal, exportBytes(numberedEntries(35, 3)));
    const after = startSluice(`${dir}/db.conf`);
    await waitFor(() => lines(after.stdout()).length >= 3, { what: "sluice's 3 lines" });
    assertEquals(await after.stop(), 0, after.stderr());
    assertEquals(lines(after.stdout()).map((l) => JSON.parse(l).MESSAGE).sort(), [
      "entry 35",
      "entry 36",
      "entry 37",
    ]);
  },
});

if (peer === null) console.log(`systemd_fluent_bit_test: ${NO_PEER}`);
