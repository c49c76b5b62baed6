/**
 * Records testdata/format_goldens/ from the Fluent Bit 4.2.8 peer: for each case of
 * tests/_format_golden_cases.ts, runs Fluent Bit on the case's YAML for a few seconds and
 * keeps the bytes its file output wrote or its http output posted (bodies joined in order).
 *
 * Usage: `deno run -A tools/record_format_goldens.ts` (FLUENT_BIT or ../shared/peers).
 */
import { fluentBitPath, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { GOLDEN_CASES, goldenConfig } from "../tests/_format_golden_cases.ts";

const out = new URL("../testdata/format_goldens/", import.meta.url).pathname;
const bin = await fluentBitPath();
if (bin === null) throw new Error("Cannot record: the Fluent Bit 4.2.8 peer is absent");
await Deno.mkdir(out, { recursive: true });
for (const c of GOLDEN_CASES) {
  const dir = await Deno.makeTempDir({ prefix: "sluice_golden_" });
  const rx = await HttpReceiver.start();
  const path = `${dir}/fluent-bit.yaml`;
  await Deno.writeTextFile(path, goldenConfig(c, dir, rx.port));
  const fb = spawnFluentBit(bin, ["-c", path]);
  await new Promise((r) => setTimeout(r, 3000));
  await fb.stop();
  await rx.stop();
  let bytes: Uint8Array;
  if (c.kind === "file") bytes = await Deno.readFile(`${dir}/out`).catch(() => new Uint8Array(0));
  else {
    const bodies = rx.requests.map((r) => r.body);
    bytes = new Uint8Array(bodies.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of bodies) {
      bytes.set(b, at);
      at += b.length;
    }
  }
  const log = (fb.stdout() + fb.stderr()).trim();
  if (bytes.length === 0) console.log(`!! ${c.name}: nothing written${log ? `: ${log}` : ""}`);
  else {
    await Deno.writeFile(`${out}${c.name}`, bytes);
    console.log(`${c.name}: ${bytes.length} bytes`);
  }
  await Deno.remove(dir, { recursive: true });
}
