import { assertEquals } from "../testing/assert.ts";
import { join } from "node:path";
import { expandGlob, hasWildcard, segmentRegExp } from "./glob.ts";

Deno.test("segmentRegExp() matches *, ? and [abc] within one segment", () => {
  assertEquals(segmentRegExp("*.conf").test("a.conf"), true);
  assertEquals(segmentRegExp("*.conf").test("a.yaml"), false);
  assertEquals(segmentRegExp("in?.conf").test("in1.conf"), true);
  assertEquals(segmentRegExp("in[12].conf").test("in2.conf"), true);
  assertEquals(segmentRegExp("in[12].conf").test("in3.conf"), false);
  assertEquals(segmentRegExp("in[!12].conf").test("in3.conf"), true);
  assertEquals(segmentRegExp("a+b.conf").test("a+b.conf"), true);
  assertEquals(hasWildcard("/etc/a.conf"), false);
  assertEquals(hasWildcard("/etc/*.conf"), true);
});

Deno.test("expandGlob() lists matching files sorted, skipping folders and hidden files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "conf.d"));
    await Deno.mkdir(join(dir, "conf.d", "sub.conf"));
    for (const f of ["b.conf", "a.conf", ".hidden.conf", "c.yaml"]) {
      await Deno.writeTextFile(join(dir, "conf.d", f), "");
    }
    assertEquals(await expandGlob(join(dir, "conf.d", "*.conf")), [
      join(dir, "conf.d", "a.conf"),
      join(dir, "conf.d", "b.conf"),
    ]);
    assertEquals(await expandGlob(join(dir, "*", "c.yaml")), [join(dir, "conf.d", "c.yaml")]);
    assertEquals(await expandGlob(join(dir, "missing", "*.conf")), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
