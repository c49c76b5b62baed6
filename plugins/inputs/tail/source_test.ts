import { gzipSync } from "node:zlib";
import { assertEquals } from "../../../src/testing/assert.ts";
import { gzipSource } from "./source.ts";

Deno.test("gzipSource reads concatenated gzip members and skips by decompressed bytes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_tail_gz_" });
  const path = `${dir}/a.log.gz`;
  const enc = new TextEncoder();
  const big = "x".repeat(300_000) + "\n";
  const one = gzipSync(enc.encode("a\nb\n" + big));
  const two = gzipSync(enc.encode("c\nd\n"));
  await Deno.writeFile(path, new Uint8Array([...one, ...two]));
  const file = await Deno.open(path);
  const src = gzipSource(file);
  assertEquals(await src.skip(2), 2);
  let text = "";
  const buf = new Uint8Array(4096);
  for (;;) {
    const n = await src.read(buf);
    if (n === null || n === 0) break;
    text += new TextDecoder().decode(buf.subarray(0, n));
  }
  assertEquals(text, "b\n" + big + "c\nd\n");
  src.close();
  file.close();
  await Deno.remove(dir, { recursive: true });
});
