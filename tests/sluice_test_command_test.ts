/**
 * `sluice test -c CONFIG TESTS`: a config's processors and filters run on the records of
 * test files, from the command line as a user runs it in CI.
 */
import { assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { ROOT, runSluice, tempDirWith } from "./_helpers.ts";

const fixtures = `${ROOT}testdata/config_tests`;

Deno.test("sluice test passes a right case, prints a diff for a wrong one and exits 1", async () => {
  const r = await runSluice([
    "test",
    "-c",
    `${fixtures}/fluent-bit.yaml`,
    `${fixtures}/cases.yaml`,
  ]);
  assertEquals(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assertEquals(lines, [
    `test "debug lines are dropped" (${fixtures}/cases.yaml) ... ok`,
    `test "a wrong expectation" (${fixtures}/cases.yaml) ... FAILED`,
    "    tag app.web (- expected, + got):",
    '      - {"level":"info","msg":"hi"}',
    "    tag app.api (- expected, + got):",
    '      + {"env":"prod","level":"info","message":"hi"}',
    "1 passed, 1 failed",
  ]);
});

Deno.test("sluice test runs a classic config's filters, with times and several inputs", async () => {
  const dir = await tempDirWith({
    "fluent-bit.conf": `[INPUT]
    Name  dummy
    Tag   first
[INPUT]
    Name  dummy
    Alias second
    Tag   other.logs
[FILTER]
    Name   record_modifier
    Match  other.*
    Record source second
[OUTPUT]
    Name   null
    Match  *
`,
    "t.yaml": `tests:
  - name: the second input's records get a source
    input: second
    records:
      - [1700000000.5, {msg: a}]
      - {msg: b}
    expect:
      other.logs:
        - [1700000000.5, {msg: a, source: second}]
        - {msg: b, source: second}
    outputs:
      null.0:
        - {msg: a, source: second}
        - {msg: b, source: second}
  - name: the first input's are untouched
    records: [{msg: c}]
    expect:
      first: [{msg: c}]
`,
  });
  const r = await runSluice(["test", "-c", `${dir}/fluent-bit.conf`, `${dir}/t.yaml`]);
  assertEquals(r.code, 0, r.stdout + r.stderr);
  assertStringIncludes(r.stdout, "2 passed, 0 failed");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sluice test refuses a bad test file or config with exit 2 and says where", async () => {
  const dir = await tempDirWith({
    "fb.yaml": "pipeline:\n  inputs:\n    - name: dummy\n      ratee: 1\n",
    "ok.yaml": "pipeline:\n  inputs:\n    - name: dummy\n",
    "bad.yaml": "tests:\n  - name: x\n    recordz: []\n",
    "noinput.yaml": "tests:\n  - name: y\n    input: nope\n    records: []\n    expect: {}\n",
  });
  const badConfig = await runSluice(["test", "-c", `${dir}/fb.yaml`, `${dir}/bad.yaml`]);
  assertEquals(badConfig.code, 2);
  assertStringIncludes(badConfig.stderr, 'fb.yaml:4:7: key "ratee": unknown key');
  const badFile = await runSluice(["test", "-c", `${dir}/ok.yaml`, `${dir}/bad.yaml`]);
  assertEquals(badFile.code, 2);
  assertStringIncludes(badFile.stderr, 'bad.yaml: test 1: unknown key "recordz"');
  const noInput = await runSluice(["test", "-c", `${dir}/ok.yaml`, `${dir}/noinput.yaml`]);
  assertEquals(noInput.code, 1);
  assertStringIncludes(noInput.stdout, 'cannot run: no input named "nope" in the config');
  await Deno.remove(dir, { recursive: true });
});
