import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../testing/assert.ts";
import { registry } from "./_test_registry.ts";
import { resolveConfig } from "./resolve.ts";
import { join } from "node:path";
import { formatOf, loadConfigFile, loadParsersFile } from "./load.ts";
import { ConfigError, formatProblem, propOf, type RawSection } from "./model.ts";

/** Writes files into a new temp folder, runs `fn` on it, then removes it. */
async function withFiles(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    for (const [name, text] of Object.entries(files)) {
      const path = join(dir, name);
      await Deno.mkdir(join(path, ".."), { recursive: true });
      await Deno.writeTextFile(path, text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function names(sections: RawSection[]): unknown[] {
  return sections.map((s) => propOf(s, "name")?.value);
}

async function problemsOf(path: string, env: Record<string, string> = {}): Promise<string[]> {
  const e = await assertRejects(() => loadConfigFile(path, { env }), ConfigError) as ConfigError;
  return e.problems.map(formatProblem);
}

Deno.test("formatOf() goes by extension, then by content", () => {
  assertEquals(formatOf("a.yaml", ""), "yaml");
  assertEquals(formatOf("a.YML", "[INPUT]"), "yaml");
  assertEquals(formatOf("a.conf", "pipeline:"), "classic");
  assertEquals(formatOf("config", "[INPUT]\n    Name dummy\n"), "classic");
  assertEquals(formatOf("config", "@INCLUDE other\n"), "classic");
  assertEquals(formatOf("config", "pipeline:\n  inputs: []\n"), "yaml");
});

Deno.test("loadConfigFile() merges YAML includes where they appear, relative to the includer", async () => {
  await withFiles({
    "main.yaml": "pipeline:\n  inputs:\n    - name: a\nincludes:\n  - sub/inputs.yaml\n",
    "sub/inputs.yaml": "includes: [more.yaml]\npipeline:\n  inputs:\n    - name: b\n",
    "sub/more.yaml": "pipeline:\n  outputs:\n    - name: c\n      match: '*'\n",
  }, async (dir) => {
    const raw = await loadConfigFile(join(dir, "main.yaml"), { env: {} });
    assertEquals(names(raw.inputs), ["a", "b"]);
    assertEquals(names(raw.outputs), ["c"]);
    assertEquals(raw.files, [
      join(dir, "main.yaml"),
      join(dir, "sub/inputs.yaml"),
      join(dir, "sub/more.yaml"),
    ]);
    assertEquals(raw.outputs[0]!.props[1]!.pos, {
      file: join(dir, "sub/more.yaml"),
      line: 4,
      col: 7,
    });
  });
});

Deno.test("loadConfigFile() reads classic @INCLUDE wildcards and falls back to the main folder", async () => {
  await withFiles({
    "fluent-bit.conf": "@SET TAG=app\n[SERVICE]\n    Flush 2\n@INCLUDE conf.d/*.conf\n",
    "conf.d/2-out.conf": "[OUTPUT]\n    Name stdout\n    Match ${TAG}\n@INCLUDE extra.conf\n",
    "conf.d/1-in.conf": "[INPUT]\n    Name dummy\n    Tag ${TAG}\n",
    "extra.conf": "[FILTER]\n    Name grep\n",
  }, async (dir) => {
    const raw = await loadConfigFile(join(dir, "fluent-bit.conf"), { env: {} });
    assertEquals(names(raw.inputs), ["dummy"]);
    assertEquals(names(raw.outputs), ["stdout"]);
    assertEquals(names(raw.filters), ["grep"]);
    assertEquals(propOf(raw.inputs[0]!, "tag")?.value, "app");
    assertEquals(propOf(raw.outputs[0]!, "match")?.value, "app");
    assertEquals(raw.files.length, 4);
  });
});

Deno.test("loadConfigFile() reports a missing include at the including position", async () => {
  await withFiles({
    "main.yaml": "includes:\n  - nope.yaml\n",
    "main.conf": "[INPUT]\n    Name dummy\n@INCLUDE missing/*.conf\n",
  }, async (dir) => {
    assertEquals(await problemsOf(join(dir, "main.yaml")), [
      `${join(dir, "main.yaml")}:2:5: cannot read included file "nope.yaml": file not found`,
    ]);
    assertEquals(await problemsOf(join(dir, "main.conf")), [
      `${join(dir, "main.conf")}:3:1: cannot read included file "missing/*.conf": no file matches`,
    ]);
  });
});

Deno.test("loadConfigFile() reports a missing main file and an include cycle", async () => {
  await withFiles({
    "a.yaml": "includes: [b.yaml]\n",
    "b.yaml": "includes: [a.yaml]\n",
  }, async (dir) => {
    assertEquals(await problemsOf(join(dir, "none.yaml")), [
      `${join(dir, "none.yaml")}:1:1: cannot read config file "${
        join(dir, "none.yaml")
      }": file not found`,
    ]);
    const [cycle] = await problemsOf(join(dir, "a.yaml"));
    assertStringIncludes(cycle!, `${join(dir, "b.yaml")}:1:12: include cycle`);
  });
});

Deno.test("loadConfigFile() lets the env section win over the environment", async () => {
  await withFiles({
    "main.yaml": `env:
  PORT: 2020
  DIR: /var/\${SUB}
service:
  http_port: \${PORT}
pipeline:
  inputs:
    - name: tail
      path: \${DIR}/*.log
      tag: \${TAG:-default}
      rules: [{value: "\${PORT}"}]
`,
  }, async (dir) => {
    const raw = await loadConfigFile(join(dir, "main.yaml"), { env: { PORT: "1", SUB: "log" } });
    assertEquals(raw.service[0]!.props[0]!.value, "2020");
    assertEquals(raw.inputs[0]!.props.map((p) => p.value), [
      "tail",
      "/var/log/*.log",
      "default",
      [{ value: "2020" }],
    ]);
  });
});

Deno.test("loadConfigFile() reads env values from a file:// uri", async () => {
  await withFiles({ "secret": "s3cr3t\n" }, async (dir) => {
    await Deno.writeTextFile(
      join(dir, "main.yaml"),
      `env:\n  - name: KEY\n    uri: file://${
        join(dir, "secret")
      }\nservice:\n  log_file: \${KEY}\n`,
    );
    const raw = await loadConfigFile(join(dir, "main.yaml"), { env: {} });
    assertEquals(raw.service[0]!.props[0]!.value, "s3cr3t");
  });
});

Deno.test("loadConfigFile() loads service.parsers_file files relative to the config", async () => {
  await withFiles({
    "main.yaml": `service:
  parsers_file: parsers/p.conf
  Parsers_File:
    - \${EXTRA}
parsers:
  - name: own
    format: json
`,
    "parsers/p.conf": "[PARSER]\n    Name a\n    Format json\n[INPUT]\n    Name ignored\n",
    "more.yaml": "multiline_parsers:\n  - name: m\n    type: regex\n",
  }, async (dir) => {
    const raw = await loadConfigFile(join(dir, "main.yaml"), { env: { EXTRA: "more.yaml" } });
    assertEquals(names(raw.parsers), ["a", "own"]);
    assertEquals(names(raw.multilineParsers), ["m"]);
    assertEquals(raw.inputs, []);
    assertEquals(raw.files, [
      join(dir, "main.yaml"),
      join(dir, "parsers/p.conf"),
      join(dir, "more.yaml"),
    ]);
  });
});

Deno.test("loadConfigFile() throws every problem of every file at once", async () => {
  await withFiles({
    "main.yaml": `service:
  parsers_file: missing.conf
includes: [bad.yaml]
pipelinez: {}
pipeline:
  inputs:
    - name: dummy
      port: \${UNSET_PORT}
`,
    "bad.yaml": "pipeline:\n  inputs: [\n",
  }, async (dir) => {
    const problems = await problemsOf(join(dir, "main.yaml"));
    const main = join(dir, "main.yaml");
    assertEquals(problems.length, 4);
    assertEquals(
      problems[0],
      `${main}:4:1: unknown top-level section "pipelinez" (did you mean "pipeline"?)`,
    );
    assertStringIncludes(problems[1]!, `${join(dir, "bad.yaml")}:3:1: invalid YAML:`);
    assertEquals(problems.slice(2), [
      `${main}:2:3: key "parsers_file": cannot read parsers file "missing.conf": file not found`,
      `${main}:8:7: key "port": variable "UNSET_PORT" is not set (set it in env or the environment, or write \${UNSET_PORT:-default})`,
    ]);
  });
});

Deno.test("loadParsersFile() returns the parsers of a classic or YAML file", async () => {
  await withFiles({
    "p.conf":
      "@SET FMT=json\n[PARSER]\n    Name a\n    Format ${FMT}\n[MULTILINE_PARSER]\n    name m\n",
    "p.yaml": "parsers:\n  - name: y\n    format: logfmt\n",
  }, async (dir) => {
    const c = await loadParsersFile(join(dir, "p.conf"));
    assertEquals(names(c.parsers), ["a"]);
    assertEquals(c.parsers[0]!.props[1]!.value, "json");
    assertEquals(c.multilineParsers.length, 1);
    const y = await loadParsersFile(join(dir, "p.yaml"));
    assertEquals(names(y.parsers), ["y"]);
    await assertRejects(
      () => loadParsersFile(join(dir, "none.conf")),
      ConfigError,
      "file not found",
    );
  });
});

Deno.test("unset variables are reported in one pass with the problems resolveConfig finds", async () => {
  await withFiles({
    "main.yaml": `pipeline:
  inputs:
    - name: dummy
      tag: \${UNSET_TAG}
      ratee: 1
  outputs:
    - name: stdout
      formatt: json
`,
  }, async (dir) => {
    const main = join(dir, "main.yaml");
    const raw = await loadConfigFile(main, { env: {} });
    assertEquals(raw.problems?.length, 1);
    const err = assertThrows(() => resolveConfig(raw, registry), ConfigError) as ConfigError;
    assertEquals(err.problems.map(formatProblem), [
      `${main}:4:7: key "tag": variable "UNSET_TAG" is not set (set it in env or the environment, or write \${UNSET_TAG:-default})`,
      `${main}:5:7: key "ratee": unknown key for input "dummy" (did you mean "rate"?)`,
      `${main}:8:7: key "formatt": unknown key for output "stdout" (did you mean "format"?)`,
    ]);
  });
});
