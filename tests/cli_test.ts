/**
 * End-to-end: the CLI as a user runs it, with real files and real processes.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../src/testing/assert.ts";
import { ROOT, runSluice, spawnSluice, tempDirWith, waitFor } from "./_helpers.ts";

/** Quick-mode flags for a file output writing plain lines to `dir/out.log`. */
function plainFileOutput(dir: string, flush: string): string[] {
  return [
    "-o",
    "file",
    "-p",
    `path=${dir}`,
    "-p",
    "file=out.log",
    "-p",
    "format=plain",
    "-f",
    flush,
  ];
}

Deno.test("quick mode: dummy samples=3 to stdout json_lines, then exits 0", async () => {
  const r = await runSluice([
    "-i",
    "dummy",
    "-p",
    "samples=3",
    "-p",
    'dummy={"message":"hi"}',
    "-o",
    "stdout",
    "-p",
    "format=json_lines",
    "-f",
    "0.1",
  ]);
  assertEquals(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assertEquals(lines.length, 3, r.stdout);
  for (const line of lines) {
    const rec = JSON.parse(line);
    assertEquals(rec.message, "hi");
    assertEquals(typeof rec.date, "number");
  }
});

Deno.test("-c YAML: dummy through grep and record_modifier into a file", async () => {
  const dir = await tempDirWith({
    "sluice.yaml": `
service:
  flush: 0.1
  log_level: warn
pipeline:
  inputs:
    - name: dummy
      tag: app.web
      dummy: '{"level": "error", "msg": "boom"}'
      samples: 5
      rate: 100
    - name: dummy
      tag: app.db
      dummy: '{"level": "info", "msg": "fine"}'
      samples: 5
      rate: 100
  filters:
    - name: grep
      match: app.*
      regex: level error
    - name: record_modifier
      match: app.web
      record: [ "team core" ]
  outputs:
    - name: file
      match: "*"
      path: \${OUT_DIR}
      file: out.log
      format: plain
`,
  });
  const r = await runSluice(["-c", `${dir}/sluice.yaml`], { env: { OUT_DIR: dir } });
  assertEquals(r.code, 0, r.stderr);
  const lines = (await Deno.readTextFile(`${dir}/out.log`)).trim().split("\n");
  assertEquals(lines.length, 5);
  for (const l of lines) assertEquals(JSON.parse(l), { level: "error", msg: "boom", team: "core" });
});

Deno.test("-c classic .conf with @SET and @INCLUDE runs the same way", async () => {
  const dir = await tempDirWith({
    "outputs.conf":
      "[OUTPUT]\n    Name   file\n    Match  *\n    Path   ${DIR}\n    File   out.log\n    Format plain\n",
    "main.conf": "@SET DIR=__DIR__\n[SERVICE]\n    Flush 0.1\n    Log_Level warn\n\n" +
      "[INPUT]\n    Name    dummy\n    Tag     t\n    Samples 4\n    Rate    100\n\n@INCLUDE outputs.conf\n",
  });
  const main = (await Deno.readTextFile(`${dir}/main.conf`)).replace("__DIR__", dir);
  await Deno.writeTextFile(`${dir}/main.conf`, main);
  const r = await runSluice(["-c", `${dir}/main.conf`]);
  assertEquals(r.code, 0, r.stderr);
  const lines = (await Deno.readTextFile(`${dir}/out.log`)).trim().split("\n");
  assertEquals(lines.length, 4);
  assertEquals(JSON.parse(lines[0]!), { message: "dummy" });
});

Deno.test("a batch job: 1M lines through stdin -> file arrive exactly once and in order", async () => {
  const n = 1_000_000;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(i % 2 ? `{"seq":${i},"msg":"json line"}` : `plain line ${i}`);
  }
  const dir = await Deno.makeTempDir({ prefix: "sluice_batch_" });
  const r = await runSluice(
    ["-i", "stdin", ...plainFileOutput(dir, "0.1")],
    { stdin: parts.join("\n") + "\n", timeoutMs: 120_000 },
  );
  assertEquals(r.code, 0, r.stderr);
  const text = await Deno.readTextFile(`${dir}/out.log`);
  let count = 0;
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf("\n", at);
    const rec = JSON.parse(text.slice(at, end));
    const expected = count % 2 ? count : `plain line ${count}`;
    const got = count % 2 ? rec.seq : rec.log;
    if (got !== expected) throw new Error(`record ${count} is ${text.slice(at, end)}`);
    count++;
    at = end + 1;
  }
  assertEquals(count, n);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("SIGTERM stops an endless input gracefully: exit 0 and buffered records flushed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_term_" });
  const child = spawnSluice(["-i", "dummy", "-p", "rate=50", ...plainFileOutput(dir, "0.2")]);
  await waitFor(async () => (await Deno.readTextFile(`${dir}/out.log`)).length > 0, {
    what: "first records",
  });
  child.kill("SIGTERM");
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stderr);
  assertStringIncludes(stderr, "service will shutdown in max 5 seconds");
  assertStringIncludes(stderr, "all records delivered");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("validate and --dry-run accept a good config", async () => {
  const r = await runSluice(["validate", "-c", `${ROOT}config.example.yaml`]);
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(r.stdout, "configuration test is successful");
  const d = await runSluice(["-c", `${ROOT}config.example.yaml`, "--dry-run"]);
  assertEquals(d.code, 0, d.stderr);
  assertStringIncludes(d.stdout, "configuration test is successful");
});

Deno.test("a broken config: every problem with file:line:col, exit 2", async () => {
  const dir = await tempDirWith({
    "bad.yaml": [
      "service:",
      "  flush: soon",
      "pipeline:",
      "  inputs:",
      "    - name: dummy",
      "      rat: 5",
      "    - name: dumy",
      "  outputs:",
      "    - name: stdout",
      "      match: '*'",
      "",
    ].join("\n"),
  });
  const r = await runSluice(["validate", "-c", `${dir}/bad.yaml`]);
  assertEquals(r.code, 2, r.stderr);
  assertMatch(r.stderr, /bad\.yaml:2:\d+: key "flush": expected a duration/);
  assertMatch(r.stderr, /bad\.yaml:6:7: key "rat": .*did you mean "rate"\?/);
  assertMatch(r.stderr, /bad\.yaml:7:\d+: .*"dumy".*dummy/);
  assertStringIncludes(r.stderr, "configuration has 3 problems");
});

Deno.test("a YAML syntax error is reported with its position, exit 2", async () => {
  const dir = await tempDirWith({
    "broken.yaml": "pipeline:\n  inputs:\n    - name: dummy\n   bad: [\n",
  });
  const r = await runSluice(["-c", `${dir}/broken.yaml`]);
  assertEquals(r.code, 2);
  assertMatch(r.stderr, /broken\.yaml:\d+:\d+: /);
});

Deno.test("usage errors exit 2; no input exits 2 with a hint", async () => {
  assertEquals((await runSluice(["--no-such-flag"])).code, 2);
  const r = await runSluice(["-o", "stdout"]);
  assertEquals(r.code, 2);
  assertStringIncludes(r.stderr, "no input given");
});

Deno.test("-V prints the version; plugins lists and describes plugins", async () => {
  const v = await runSluice(["-V"]);
  assertEquals(v.code, 0);
  assertMatch(v.stdout, /^\d+\.\d+\.\d+/);
  const list = await runSluice(["plugins"]);
  assertEquals(list.code, 0);
  for (
    const name of ["dummy", "stdin", "grep", "modify", "record_modifier", "stdout", "file", "null"]
  ) {
    assertStringIncludes(list.stdout, name);
  }
  const dummy = await runSluice(["plugins", "dummy"]);
  assertEquals(dummy.code, 0);
  assertMatch(dummy.stdout, /rate\s+int\s+1\s+/);
  assertEquals((await runSluice(["plugins", "nope"])).code, 2);
});

Deno.test("-H -P serves Fluent Bit's monitoring endpoints with live counts", async () => {
  const port = 20000 + Math.floor(Math.random() * 30000);
  const child = spawnSluice([
    "-i",
    "dummy",
    "-p",
    "rate=20",
    "-o",
    "null",
    "-H",
    "-P",
    String(port),
    "-f",
    "0.1",
  ]);
  try {
    const metrics = await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/metrics`);
      const body = await res.json();
      return body.output?.["null.0"]?.proc_records > 0 ? body : undefined;
    }, { what: "records counted by the monitoring server" });
    assert(metrics.input["dummy.0"].records > 0);
    const prom = await (await fetch(`http://127.0.0.1:${port}/api/v2/metrics/prometheus`)).text();
    assertMatch(prom, /fluentbit_input_records_total\{name="dummy\.0"\} \d+/);
    assertMatch(prom, /fluentbit_output_proc_records_total\{name="null\.0"\} \d+/);
  } finally {
    child.kill("SIGTERM");
    const out = await child.output();
    assertEquals(out.code, 0);
  }
});

Deno.test("a batch job whose output keeps failing exits 1 and says how many records were dropped", async () => {
  const r = await runSluice(
    [
      "-i",
      "stdin",
      "-o",
      "file",
      "-p",
      "path=/dev",
      "-p",
      "file=full",
      "-p",
      "retry_limit=no_retries",
      "-f",
      "0.1",
    ],
    { stdin: "one\ntwo\n" },
  );
  assertEquals(r.code, 1, r.stderr);
  assertStringIncludes(r.stderr, "2 records were dropped");
});

Deno.test("the issue's batch example: cat app.log | sluice -i stdin -o file -p path=out", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_batch_out_" });
  const r = await runSluice(["-i", "stdin", "-o", "file", "-p", "path=out"], {
    stdin: 'first line\n{"k":"v"}\n',
    cwd: dir,
  });
  assertEquals(r.code, 0, r.stderr);
  const text = await Deno.readTextFile(`${dir}/out/stdin.0`);
  assertMatch(
    text,
    /^stdin\.0: \[\d+\.\d{9}, \{"log":"first line"\}\]\nstdin\.0: \[\d+\.\d{9}, \{"k":"v"\}\]\n$/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("-l writes diagnostics to a file in Fluent Bit's shape; -q keeps stderr quiet", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_log_" });
  const r = await runSluice([
    "-i",
    "dummy",
    "-p",
    "samples=1",
    "-o",
    "null",
    "-l",
    `${dir}/sluice.log`,
  ]);
  assertEquals(r.code, 0, r.stderr);
  const log = await Deno.readTextFile(`${dir}/sluice.log`);
  assertMatch(
    log,
    /^\[\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\] \[ info\] \[engine\] sluice \S+ started$/m,
  );
  const q = await runSluice(["-i", "dummy", "-p", "samples=1", "-o", "null", "-q"]);
  assertEquals(q.code, 0);
  assertEquals(q.stderr, "");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("per-input and per-output processor chains run in list order, without tag matching", async () => {
  const dir = await tempDirWith({
    "p.yaml": `
service: { flush: 0.1, log_level: warn }
pipeline:
  inputs:
    - name: dummy
      tag: t
      dummy: '{"n": 1, "drop": "no"}'
      samples: 3
      rate: 100
      processors:
        logs:
          - name: modify
            add: stage input
          - name: record_modifier
            record: seen_by input
  outputs:
    - name: file
      match: "*"
      path: \${OUT}
      file: a.log
      format: plain
      processors:
        logs:
          - name: modify
            set: stage output_a
    - name: file
      match: "*"
      path: \${OUT}
      file: b.log
      format: plain
`,
  });
  const r = await runSluice(["-c", `${dir}/p.yaml`], { env: { OUT: dir } });
  assertEquals(r.code, 0, r.stderr);
  const a = (await Deno.readTextFile(`${dir}/a.log`)).trim().split("\n").map((l) => JSON.parse(l));
  const b = (await Deno.readTextFile(`${dir}/b.log`)).trim().split("\n").map((l) => JSON.parse(l));
  assertEquals(a.length, 3);
  assertEquals(b.length, 3);
  assertEquals(a[0], { n: 1, drop: "no", seen_by: "input", stage: "output_a" });
  // Output a's processor changed its own copy only.
  assertEquals(b[0], { n: 1, drop: "no", stage: "input", seen_by: "input" });
});

Deno.test("sluice run -c, and -R loading a classic parsers file for -F parser", async () => {
  const dir = await tempDirWith({
    "parsers.conf":
      "[PARSER]\n    Name   kv\n    Format regex\n    Regex  ^(?<k>\\w+)=(?<v>\\w+)$\n",
    "run.yaml": "service: { flush: 0.1, log_level: warn }\npipeline:\n  inputs:\n" +
      "    - { name: dummy, samples: 2, rate: 100 }\n  outputs:\n    - { name: null, match: '*' }\n",
  });
  const run = await runSluice(["run", "-c", `${dir}/run.yaml`]);
  assertEquals(run.code, 0, run.stderr);
  const r = await runSluice(
    [
      "-R",
      `${dir}/parsers.conf`,
      "-i",
      "stdin",
      "-F",
      "parser",
      "-p",
      "key_name=log",
      "-p",
      "parser=kv",
      "-o",
      "stdout",
      "-p",
      "format=json_lines",
      "-p",
      "json_date_key=false",
      "-f",
      "0.1",
    ],
    { stdin: "a=b\nnot kv\n" },
  );
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout.trim().split("\n").map((l) => JSON.parse(l)), [{ k: "a", v: "b" }, {
    log: "not kv",
  }]);
});

Deno.test("problems a plugin finds in its values point at the key's own line", async () => {
  const dir = await tempDirWith({
    "plugin.yaml": [
      "pipeline:",
      "  inputs:",
      "    - name: dummy",
      "  filters:",
      "    - name: grep",
      "      match: '*'",
      "      regex: log (unclosed",
      "  outputs:",
      "    - name: stdout",
      "      match: '*'",
      "",
    ].join("\n"),
  });
  const r = await runSluice(["validate", "-c", `${dir}/plugin.yaml`]);
  assertEquals(r.code, 2, r.stderr);
  assertMatch(r.stderr, /plugin\.yaml:7:7: key "regex": filter "grep\.0": .*"\(unclosed"/);
});
