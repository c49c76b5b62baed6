/**
 * nest, rewrite_tag, throttle and type_converter through the CLI, against Fluent Bit 4.2.8:
 * each case of `testdata/fb_filters/` (tail → filters → file output, one file per tag) run
 * from its `.conf` and its `.yaml` must give Fluent Bit's files (`expected/`, recorded from
 * the peer). With the peer present, its output is checked against the goldens too.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER } from "../src/testing/fluent_bit.ts";
import { ROOT } from "./_helpers.ts";
import { caseNames, CASES_DIR, expectedFiles, normalized, runCase } from "./_filter_cases.ts";

const sluice = [Deno.execPath(), "run", "--allow-all", `${ROOT}main.ts`];

for (const name of await caseNames()) {
  for (const config of ["fluent-bit.conf", "fluent-bit.yaml"]) {
    Deno.test(`filters: ${name} (${config}) gives Fluent Bit 4.2.8's output`, async () => {
      const got = await runCase(sluice, `${CASES_DIR}${name}`, config);
      assertEquals(normalized(got), normalized(await expectedFiles(name)));
    });
  }
}

Deno.test("filters: the goldens are what the Fluent Bit 4.2.8 peer writes", async (t) => {
  const bin = await fluentBitPath();
  if (!bin) {
    console.log(NO_PEER);
    return;
  }
  for (const name of await caseNames()) {
    await t.step(name, async () => {
      const got = await runCase([bin], `${CASES_DIR}${name}`, "fluent-bit.conf");
      assertEquals(normalized(got), normalized(await expectedFiles(name)));
    });
  }
});
