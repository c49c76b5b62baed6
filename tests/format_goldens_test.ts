/**
 * sluice's file and http outputs write the bytes Fluent Bit 4.2.8 wrote for the same
 * records and YAML (testdata/format_goldens/, recorded by tools/record_format_goldens.ts):
 * every file format, json/json_lines/json_stream with each json_date_format, msgpack.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { GOLDEN_CASES, goldenConfig } from "./_format_golden_cases.ts";
import { startSluice } from "./_outputs.ts";
import { waitFor } from "./_helpers.ts";

const goldens = new URL("../testdata/format_goldens/", import.meta.url).pathname;
const dec = new TextDecoder();

function joined(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

for (const c of GOLDEN_CASES) {
  Deno.test(`sluice writes Fluent Bit's bytes for ${c.name}`, async () => {
    const want = await Deno.readFile(`${goldens}${c.name}`);
    const dir = await Deno.makeTempDir({ prefix: "sluice_golden_" });
    const rx = await HttpReceiver.start();
    const run = await startSluice(dir, goldenConfig(c, dir, rx.port));
    const got = async (): Promise<Uint8Array> =>
      c.kind === "file"
        ? await Deno.readFile(`${dir}/out`).catch(() => new Uint8Array(0))
        : joined(rx.requests.map((r) => r.body));
    try {
      await waitFor(async () => (await got()).length >= want.length, {
        timeoutMs: 20_000,
        what: `${want.length} bytes of ${c.name}`,
      });
      const bytes = await got();
      if (c.name.endsWith(".bin")) assertEquals(bytes, want);
      else assertEquals(dec.decode(bytes), dec.decode(want));
    } finally {
      await run.stop();
      await rx.stop();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
