import { gzipSync } from "node:zlib";
import type { LogChunk } from "../../../src/event/chunk.ts";
import { assert, assertEquals } from "../../../src/testing/assert.ts";
import { until } from "../../../src/testing/until.ts";
import { append, type Harness, startTail, tempDir, untilFileClosed } from "./_testing.ts";

/** Waits until the input follows `n` files (their start offsets decided), failing after 5 s. */
async function following(t: Harness, n = 1): Promise<void> {
  await until(
    () => t.ctx.metrics.value("fluentbit_input_files_opened_total", { name: "tail.0" }) >= n,
    `${n} file(s) followed`,
  );
}

Deno.test("tail reads files from the head with exit_on_eof, the last partial line included", async () => {
  const dir = await tempDir();
  await Deno.writeTextFile(`${dir}/a.log`, "one\r\ntwo\nthree");
  const t = startTail({ path: [`${dir}/*.log`], read_from_head: true, exit_on_eof: true });
  assertEquals(await t.drain(), ["one", "two", "three"]);
  assertEquals(t.chunks[0]!.tag, "t");
});

Deno.test("tail starts at the end of existing files and follows appended lines", async () => {
  const dir = await tempDir();
  await Deno.writeTextFile(`${dir}/a.log`, "before start\n");
  const t = startTail({ path: [`${dir}/a.log`] });
  const first = t.next(3000);
  await following(t);
  await append(`${dir}/a.log`, "after 1\nafter");
  (await first).ack.release();
  assertEquals(t.seen, ["after 1"]);
  await append(`${dir}/a.log`, " 2\n");
  assertEquals(await t.lines(2), ["after 1", "after 2"]);
  assertEquals(await t.stop(), []);
});

Deno.test("tail picks up new files and reads them from the head", async () => {
  const dir = await tempDir();
  // An empty file there from the start: once it is followed, the first scan is done.
  await Deno.writeTextFile(`${dir}/first.log`, "");
  const t = startTail({ path: [`${dir}/*.log`] });
  const pending = t.lines(2);
  await following(t);
  await Deno.writeTextFile(`${dir}/new.log`, "n1\nn2\n");
  assertEquals(await pending, ["n1", "n2"]);
  await t.stop();
});

Deno.test("tail emits a held partial line at shutdown", async () => {
  const dir = await tempDir();
  await Deno.writeTextFile(`${dir}/a.log`, "done\nhalf a li");
  const t = startTail({ path: [`${dir}/a.log`], read_from_head: true });
  assertEquals(await t.lines(1), ["done"]);
  const rest = await t.stop();
  assertEquals(rest.flatMap((c) => (c as LogChunk).records.map((r) => r.body.log)), ["half a li"]);
});

Deno.test("tail tags each file with * expanded from its path, and adds path_key/offset_key", async () => {
  const dir = await tempDir();
  await Deno.writeTextFile(`${dir}/x.log`, "a\nbb\n");
  const t = startTail(
    { path: [`${dir}/x.log`], read_from_head: true, path_key: "file", offset_key: "off" },
    { tag: "app.*" },
  );
  const c = await t.next() as LogChunk;
  c.ack.release();
  assertEquals(c.tag, `app${dir.replaceAll("/", ".")}.x.log`);
  assertEquals(c.records.map((r) => r.body), [
    { file: `${dir}/x.log`, off: 0, log: "a" },
    { file: `${dir}/x.log`, off: 2, log: "bb" },
  ]);
  await t.stop();
});

Deno.test("tail parses lines with parser; a line it does not match stays {key: line}", async () => {
  const dir = await tempDir();
  await Deno.writeTextFile(`${dir}/a.log`, '{"level":"info","n":1}\nnot json\n');
  const t = startTail({ path: [`${dir}/a.log`], read_from_head: true, parser: "json", key: "msg" });
  const c = await t.next() as LogChunk;
  assertEquals(c.records.map((r) => r.body), [{ level: "info", n: 1 }, { msg: "not json" }]);
  await t.stop();
});

Deno.test("tail joins stack traces with multiline.parser", async () => {
  const dir = await tempDir();
  const trace =
    'Exception in thread "main" java.lang.RuntimeException: x\n    at a.B.c(B.java:1)\n';
  await Deno.writeTextFile(`${dir}/a.log`, `start\n${trace}`);
  const t = startTail({
    path: [`${dir}/a.log`],
    read_from_head: true,
    "multiline.parser": ["java"],
    exit_on_eof: true,
  });
  const lines = await t.lines(2);
  assertEquals(lines, ["start", trace.trimEnd()]);
  await t.stop();
});

Deno.test("tail skips and truncates long lines and counts them", async () => {
  const dir = await tempDir();
  const long = "z".repeat(5000);
  await Deno.writeTextFile(`${dir}/a.log`, `before\n${long}\nafter\n`);
  const skip = startTail({
    path: [`${dir}/a.log`],
    read_from_head: true,
    skip_long_lines: true,
    buffer_chunk_size: 1000,
    buffer_max_size: 1000,
    exit_on_eof: true,
  });
  assertEquals(await skip.lines(2), ["before", "after"]);
  await skip.stop();
  const labels = { name: "tail.0" };
  assertEquals(skip.ctx.metrics.value("fluentbit_input_long_line_skipped_total", labels), 1);
  const cut = startTail({
    path: [`${dir}/a.log`],
    read_from_head: true,
    truncate_long_lines: true,
    buffer_chunk_size: 1000,
    buffer_max_size: 1000,
  });
  assertEquals(await cut.lines(3), ["before", "z".repeat(1000), "after"]);
  await cut.stop();
  assertEquals(cut.ctx.metrics.value("fluentbit_input_long_line_truncated_total", labels), 1);
});

Deno.test("tail reads .gz files transparently", async () => {
  const dir = await tempDir();
  const text = Array.from({ length: 1000 }, (_, i) => `gz line ${i}`).join("\n") + "\n";
  await Deno.writeFile(`${dir}/a.log.gz`, gzipSync(new TextEncoder().encode(text)));
  const t = startTail({ path: [`${dir}/*.gz`], read_from_head: true, exit_on_eof: true });
  const lines = await t.lines(1000);
  assertEquals(lines[999], "gz line 999");
  await t.stop();
});

Deno.test("tail follows exclude_path and ignore_older", async () => {
  const dir = await tempDir();
  await Deno.writeTextFile(`${dir}/keep.log`, "keep\n");
  await Deno.writeTextFile(`${dir}/skip.log`, "skip\n");
  await Deno.writeTextFile(`${dir}/old.log`, "old\n");
  const old = new Date(Date.now() - 3 * 3600_000);
  await Deno.utime(`${dir}/old.log`, old, old);
  const t = startTail({
    path: [`${dir}/*.log`],
    exclude_path: ["skip*"],
    ignore_older: 3600,
    read_from_head: true,
    exit_on_eof: true,
  });
  assertEquals(await t.lines(1), ["keep"]);
  const rest = await t.stop();
  assert(rest.every((c) => c.records.length === 0));
  assertEquals(t.ctx.metrics.value("fluentbit_input_files_opened_total", { name: "tail.0" }), 1);
});

Deno.test("tail ends promptly when stopped before anything was read, and closes twice", async () => {
  const dir = await tempDir();
  const t = startTail({ path: [`${dir}/none-*.log`] });
  assertEquals(await t.stop(), []);
  await t.input.close();
});

Deno.test("tail stops following files older than ignore_older with ignore_active_older_files", async () => {
  const dir = await tempDir();
  await Deno.writeTextFile(`${dir}/a.log`, "x\n");
  const t = startTail({
    path: [`${dir}/a.log`],
    read_from_head: true,
    ignore_older: 1,
    ignore_active_older_files: true,
    progress_check_interval: 0.05,
  });
  assertEquals(await t.lines(1), ["x"]);
  await untilFileClosed(t, "the idle file to be closed");
  await t.stop();
});

Deno.test("tail finds files in a directory created after it started", async () => {
  const dir = await tempDir();
  // An empty file followed from the start: once it is, the first scan is done.
  await Deno.writeTextFile(`${dir}/first.log`, "");
  const t = startTail({ path: [`${dir}/later/*.log`, `${dir}/first.log`], refresh_interval: 0.2 });
  const pending = t.lines(1);
  await following(t);
  await Deno.mkdir(`${dir}/later`);
  await Deno.writeTextFile(`${dir}/later/a.log`, "found\n");
  assertEquals(await pending, ["found"]);
  await t.stop();
});

Deno.test("tail keeps a line longer than its read block whole by default", async () => {
  const dir = await tempDir();
  const long = "L".repeat(3_000_000);
  await Deno.writeTextFile(`${dir}/a.log`, `a\n${long}\nb\n`);
  const t = startTail({ path: [`${dir}/a.log`], read_from_head: true, exit_on_eof: true });
  const lines = await t.lines(3);
  assertEquals([lines[0], lines[1]!.length, lines[2]], ["a", 3_000_000, "b"]);
  await t.stop();
});
