/**
 * The real Fluent Bit configs in testdata/fluent-bit-configs (copied from the
 * shared corpus, sources in SOURCES.md): every one whose plugins sluice has must
 * validate through `sluice validate` exactly as a user would run it; the rest are
 * listed with the plugin that is missing, so the list shrinks as plugins land.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { loadConfigFile } from "../src/config/load.ts";
import type { RawConfig, RawSection } from "../src/config/model.ts";
import { registry } from "../plugins/registry.ts";
import { ROOT, runSluice } from "./_helpers.ts";

const dir = `${ROOT}testdata/fluent-bit-configs`;
const env = {
  PARSERS_FILE_TEST: `${dir}/fbdocs-parser-reserve_data__parsers.yaml`,
  FLUENT_BIT_TEST_LISTENER_PORT: "24999",
  FLUENT_BIT_HTTP_MONITORING_PORT: "24998",
  TEST_SUITE_HTTP_PORT: "24997",
  TAIL_TEST_PATH: "/tmp/sluice-corpus-test-*.log",
  TAIL_TEST_DB: "/tmp/sluice-corpus-test.db",
};

/** The command line a config's comments ask for (its parsers file, as Fluent Bit's -R). */
const EXTRA_ARGS: Record<string, string[]> = {
  "fbdocs-parser-reserve_data__fluent-bit.yaml": [
    "-R",
    `${dir}/fbdocs-parser-reserve_data__parsers.yaml`,
  ],
};

/**
 * Configs that are not runnable as they stand (they come from Fluent Bit's config-format unit
 * tests), with the problem `sluice validate` must report for each.
 */
const REJECTED: Record<string, string> = {
  // Names a multiline parser that the file never defines; Fluent Bit's tail fails to start too.
  "fb-cfgfmt__parsers_and_multiline_parsers.yaml":
    'Unknown multiline parser "multiline-regex-test"',
  // A bare list under `processors:`: Fluent Bit ignores it, sluice runs it as the logs chain,
  // and its `parser` processor has no `key_name`.
  "fb-cfgfmt-routing__basic.yaml": 'key "key_name": required key is not set for processor "parser"',
};

function missingPlugins(raw: RawConfig): string[] {
  const missing = new Set<string>();
  const nameOf = (s: RawSection) =>
    String(s.props.find((p) => p.key.toLowerCase() === "name")?.value ?? "");
  const check = (kind: "inputs" | "filters" | "outputs", s: RawSection) => {
    if (!registry[kind].has(nameOf(s))) missing.add(`${kind.slice(0, -1)} ${nameOf(s)}`);
    for (const list of Object.values(s.processors ?? {})) {
      for (const p of list ?? []) {
        const n = nameOf(p);
        if (!registry.processors.has(n) && !registry.filters.has(n)) missing.add(`processor ${n}`);
      }
    }
  };
  raw.inputs.forEach((s) => check("inputs", s));
  raw.filters.forEach((s) => check("filters", s));
  raw.outputs.forEach((s) => check("outputs", s));
  return [...missing];
}

const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => /^fb.*\.yaml$/.test(n))
  .sort();
const supported: string[] = [];

for (const name of files) {
  const raw = await loadConfigFile(`${dir}/${name}`, { env: { ...Deno.env.toObject(), ...env } });
  const missing = missingPlugins(raw);
  if (raw.inputs.length === 0 && raw.outputs.length === 0) continue; // a parsers-only file
  if (missing.length > 0) {
    // Shown as ignored, naming what is missing, until those plugins exist.
    Deno.test({
      name: `corpus config ${name} waits for: ${missing.join(", ")}`,
      ignore: true,
      fn() {},
    });
    continue;
  }
  if (REJECTED[name]) {
    Deno.test(`corpus config ${name} is rejected by sluice validate with its problem`, async () => {
      const r = await runSluice(["validate", "-c", `${dir}/${name}`], { env });
      assertEquals(r.code, 2, r.stderr);
      assertStringIncludes(r.stderr, REJECTED[name]);
    });
    continue;
  }
  supported.push(name);
  Deno.test(`corpus config ${name} passes sluice validate`, async () => {
    const r = await runSluice(["validate", "-c", `${dir}/${name}`, ...EXTRA_ARGS[name] ?? []], {
      env,
    });
    assertEquals(r.code, 0, r.stderr);
    assertStringIncludes(r.stdout, "configuration test is successful");
  });
}

Deno.test("corpus configs: the grep and parser configs are among the supported ones", () => {
  for (
    const name of [
      "fbdocs-grep-logical_op__fluent-bit.yaml",
      "fbdocs-parser-reserve_data__fluent-bit.yaml",
    ]
  ) assert(supported.includes(name), `${name} is supported`);
});
