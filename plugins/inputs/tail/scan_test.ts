import { assertEquals } from "../../../src/testing/assert.ts";
import { excluder, patternDirs, scanPaths } from "./scan.ts";

Deno.test("excluder matches shell patterns on the whole path or on the file name", () => {
  const ex = excluder(["*.gz", "ep_ignore*.txt", "/var/log/secret/*"]);
  assertEquals(ex("/var/log/app.log.1.gz"), true);
  assertEquals(ex("/tmp/x/ep_ignore_1.txt"), true);
  assertEquals(ex("/tmp/x/ep_file1.txt"), false);
  assertEquals(ex("/var/log/secret/a.log"), true);
  assertEquals(excluder([])("/anything"), false);
});

Deno.test("scanPaths expands comma-separated globs, without excluded files or repeats", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_tail_scan_" });
  try {
    for (const n of ["a.log", "b.log", "c.txt", "skip.log"]) {
      await Deno.writeTextFile(`${dir}/${n}`, "x\n");
    }
    const found = await scanPaths(
      [`${dir}/*.log`, `${dir}/a.log`, `${dir}/c.txt`],
      excluder(["skip*"]),
    );
    assertEquals(found, [`${dir}/a.log`, `${dir}/b.log`, `${dir}/c.txt`]);
    assertEquals(patternDirs([`${dir}/*.log`, `${dir}/*/x.log`]), [dir]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
