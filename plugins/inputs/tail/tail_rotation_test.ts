import { assertEquals } from "../../../src/testing/assert.ts";
import { until } from "../../../src/testing/until.ts";
import { append, type Harness, startTail, tempDir, untilFileClosed } from "./_testing.ts";

const labels = { name: "tail.0" };

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until the input follows `n` files: their start offsets are decided. */
async function following(t: Harness, n = 1): Promise<void> {
  await until(
    () => t.ctx.metrics.value("fluentbit_input_files_opened_total", labels) >= n,
    `${n} file(s) followed`,
  );
}

Deno.test("tail reads a file renamed away to its end, then the new file at the path", async () => {
  const dir = await tempDir();
  const log = `${dir}/app.log`;
  await Deno.writeTextFile(log, "");
  const t = startTail({ path: [log] });
  const pending = t.lines(7);
  await following(t);
  await append(log, "1\n2\n");
  await until(() => t.seen.length >= 2, "lines 1 and 2 read before the rename");
  await Deno.rename(log, `${log}.1`);
  await append(`${log}.1`, "3 late write to the old file\n");
  await Deno.writeTextFile(log, "4\n5\n");
  await append(`${log}.1`, "3b\n");
  await append(log, "6\n");
  const lines = await pending;
  assertEquals(lines.toSorted(), ["1", "2", "3 late write to the old file", "3b", "4", "5", "6"]);
  assertEquals(lines.filter((l) => /^[123]/.test(l)), [
    "1",
    "2",
    "3 late write to the old file",
    "3b",
  ]);
  assertEquals(lines.filter((l) => /^[456]/.test(l)), ["4", "5", "6"]);
  assertEquals(t.ctx.metrics.value("fluentbit_input_files_rotated_total", labels), 1);
  await untilFileClosed(t, "the rotated file to be closed", 3000);
  await t.stop();
});

Deno.test("tail finishes a rotated file even when it is not pulled for longer than rotate_wait", async () => {
  const dir = await tempDir();
  const log = `${dir}/app.log`;
  await Deno.writeTextFile(log, "");
  const t = startTail({ path: [log], rotate_wait: 0.2 });
  const first = t.lines(1);
  await following(t);
  await append(log, "a\n");
  await first;
  await sleep(200);
  // The engine stops pulling (paused): the file rotates and more lines go to both files.
  await Deno.rename(log, `${log}.1`);
  await append(`${log}.1`, "b\nc\n");
  await Deno.writeTextFile(log, "d\n");
  await sleep(800);
  assertEquals(await t.lines(4), ["a", "b", "c", "d"]);
  await t.stop();
});

Deno.test("tail starts over after copytruncate, skipping NUL bytes a writer may leave", async () => {
  const dir = await tempDir();
  const log = `${dir}/app.log`;
  await Deno.writeTextFile(log, "");
  const t = startTail({ path: [log] });
  const first = t.lines(3);
  await following(t);
  await append(log, "one\ntwo\nthree\n");
  await first;
  await Deno.copyFile(log, `${log}.1`);
  await Deno.truncate(log, 0);
  // A writer without O_APPEND keeps its offset: the start of the file is a hole of NULs.
  const f = await Deno.open(log, { write: true });
  await f.seek(14, Deno.SeekMode.Start);
  await f.write(new TextEncoder().encode("four\n"));
  f.close();
  assertEquals(await t.lines(4), ["one", "two", "three", "four"]);
  await append(log, "five\n");
  assertEquals((await t.lines(5))[4], "five");
  await t.stop();
});

Deno.test("tail detects copytruncate when new content is already past the old offset", async () => {
  const dir = await tempDir();
  const log = `${dir}/app.log`;
  await Deno.writeTextFile(log, "");
  const t = startTail({ path: [log] });
  const first = t.lines(2);
  await following(t);
  await append(log, "first old line\nsecond\n");
  await first;
  // Truncate and rewrite longer than before within one check interval.
  await Deno.writeTextFile(log, "NEW line that is long enough\nnew 2\n");
  assertEquals((await t.lines(4)).slice(2), ["NEW line that is long enough", "new 2"]);
  await t.stop();
});

Deno.test("tail reads what is left of a deleted file, then closes it", async () => {
  const dir = await tempDir();
  const log = `${dir}/app.log`;
  await Deno.writeTextFile(log, "");
  const t = startTail({ path: [log] });
  const first = t.lines(1);
  await following(t);
  await append(log, "x\n");
  await first;
  await append(log, "y\nz\n");
  await Deno.remove(log);
  assertEquals(await t.lines(3), ["x", "y", "z"]);
  await untilFileClosed(t, "the deleted file to be closed", 3000);
  await t.stop();
});

Deno.test("tail follows a symlinked path when the link is pointed at a new file", async () => {
  const dir = await tempDir();
  await Deno.mkdir(`${dir}/pods`);
  await Deno.mkdir(`${dir}/containers`);
  const link = `${dir}/containers/app.log`;
  await Deno.writeTextFile(`${dir}/pods/0.log`, "");
  await Deno.symlink(`${dir}/pods/0.log`, link);
  const t = startTail({ path: [`${dir}/containers/*.log`] });
  const first = t.lines(1);
  await following(t);
  await append(`${dir}/pods/0.log`, "via link\n");
  await first;
  await Deno.writeTextFile(`${dir}/pods/1.log`, "new target\n");
  await Deno.remove(link);
  await Deno.symlink(`${dir}/pods/1.log`, link);
  await append(`${dir}/pods/0.log`, "old target late\n");
  const lines = await t.lines(3);
  assertEquals(lines.toSorted(), ["new target", "old target late", "via link"]);
  await t.stop();
});

Deno.test("tail reads lines it had not read before copytruncate from the copy", async () => {
  const dir = await tempDir();
  const log = `${dir}/app.log`;
  await Deno.writeTextFile(log, "");
  const t = startTail({ path: [log], path_key: "p" });
  const first = t.lines(1);
  await following(t);
  await append(log, "read before\n");
  await first;
  // Not pulled meanwhile (paused): more lines, then logrotate's copy and truncate.
  await append(log, "unread 1\nunread 2\npart");
  await Deno.copyFile(log, `${log}.1`);
  await Deno.truncate(log, 0);
  await append(log, "after truncate\n");
  const lines = (await t.lines(5)).map((l) => JSON.parse(l));
  assertEquals(lines.map((b) => b.log), [
    "read before",
    "unread 1",
    "unread 2",
    "part",
    "after truncate",
  ]);
  assertEquals(lines.every((b) => b.p === log), true, "path_key names the original file");
  await t.stop();
});
