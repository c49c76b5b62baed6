/**
 * Writes the Fluent Bit 4.2.8 outputs the filter tests compare sluice against: for each case
 * in `testdata/fb_filters/<case>/`, runs the peer on `fluent-bit.conf` and on
 * `fluent-bit.yaml`, checks the two agree, and stores the files in `expected/`.
 *
 * Usage: deno run -A tools/filter_goldens.ts [CASE...]
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { caseNames, CASES_DIR as root, runCase } from "../tests/_filter_cases.ts";

if (import.meta.main) {
  const bin = await fluentBitPath();
  if (!bin) throw new Error("Fluent Bit 4.2.8 peer not found (set FLUENT_BIT)");
  for (const name of await caseNames(Deno.args)) {
    const dir = `${root}${name}`;
    const conf = await runCase([bin], dir, "fluent-bit.conf");
    const yaml = await runCase([bin], dir, "fluent-bit.yaml");
    if (JSON.stringify(conf) !== JSON.stringify(yaml)) {
      throw new Error(`${name}: Fluent Bit's outputs for .conf and .yaml differ`);
    }
    await Deno.remove(`${dir}/expected`, { recursive: true }).catch(() => {});
    await Deno.mkdir(`${dir}/expected`);
    for (const [tag, text] of Object.entries(conf)) {
      await Deno.writeTextFile(`${dir}/expected/${tag}`, text);
    }
    console.log(`${name}: ${Object.keys(conf).sort().join(", ")}`);
  }
}
