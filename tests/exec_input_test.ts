/**
 * The exec input through the CLI: one-shot runs that stop the service with the command's
 * exit code, a parser on the lines, a command that hangs past its interval (not doubled,
 * logged, stopped with the service), a failing command (exit code and stderr logged), and
 * output far over buf_size. Side by side with Fluent Bit when the ../shared peer is there.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { fluentBitPath, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { runSluice, waitFor } from "./_helpers.ts";
import { startSluice } from "./_journal.ts";

const peer = await fluentBitPath();

async function configFile(name: string, text: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_exec_" });
  await Deno.writeTextFile(`${dir}/${name}`, text);
  return `${dir}/${name}`;
}

function execYaml(input: string, extra = ""): string {
  return `service:
  flush: 0.2
  log_level: debug
${extra}pipeline:
  inputs:
    - name: exec
${input.split("\n").filter((l) => l).map((l) => `      ${l}`).join("\n")}
  outputs:
    - name: stdout
      match: "*"
      format: json_lines
`;
}

function bodies(stdout: string): Record<string, unknown>[] {
  return stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => {
    const { date: _date, ...body } = JSON.parse(l);
    return body;
  });
}

Deno.test("exec: exit_after_oneshot with propagate_exit_code exits with the command's code", async () => {
  const cfg = await configFile(
    "exec.yaml",
    execYaml(
      "command: printf 'one\\ntwo\\n'; echo problem >&2; exit 3\n" +
        "exit_after_oneshot: on\npropagate_exit_code: on",
    ),
  );
  const res = await runSluice(["-c", cfg], { timeoutMs: 30_000 });
  assertEquals(res.code, 3, res.stderr);
  assertEquals(bodies(res.stdout), [{ exec: "one" }, { exec: "two" }]);
  assertStringIncludes(res.stderr, "exited with code 3; stderr: problem");
  assertStringIncludes(res.stderr, "one-shot command exited, terminating");

  const killed = await configFile(
    "killed.conf",
    "[SERVICE]\n    flush 0.2\n[INPUT]\n    name exec\n    command echo last; kill -9 $$\n" +
      "    exit_after_oneshot true\n    propagate_exit_code true\n" +
      "[OUTPUT]\n    name stdout\n    match *\n    format json_lines\n",
  );
  const res2 = await runSluice(["-c", killed], { timeoutMs: 30_000 });
  assertEquals(res2.code, 137, res2.stderr); // 128 + SIGKILL, as a shell reports it
  assertEquals(bodies(res2.stdout), [{ exec: "last" }]);

  const plain = await configFile(
    "plain.yaml",
    execYaml("command: echo x; exit 5\nexit_after_oneshot: on"),
  );
  const res3 = await runSluice(["-c", plain], { timeoutMs: 30_000 });
  assertEquals(res3.code, 0, res3.stderr);
  assertEquals(bodies(res3.stdout), [{ exec: "x" }]);
});

Deno.test("exec: exit_after_oneshot stops the whole service, other inputs too", async () => {
  const cfg = await configFile(
    "two.yaml",
    execYaml("command: echo done; exit 9\nexit_after_oneshot: on\npropagate_exit_code: on")
      .replace("  outputs:", "    - name: dummy\n      rate: 5\n  outputs:"),
  );
  const res = await runSluice(["-c", cfg], { timeoutMs: 30_000 });
  assertEquals(res.code, 9, res.stderr);
  assert(bodies(res.stdout).some((b) => b.exec === "done"), res.stdout);
});

Deno.test("exec: oneshot without exit_after_oneshot runs once and sluice keeps running", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_exec_" });
  const cfg = await configFile(
    "once.yaml",
    execYaml(
      `command: echo run >> ${dir}/runs; echo once\noneshot: on\ninterval_sec: 0\n` +
        "interval_nsec: 50000000",
    ),
  );
  const run = startSluice(cfg);
  await waitFor(() => run.stderr().includes("one-shot command exited but exit_after_oneshot"), {
    what: "the one run",
  });
  await waitFor(() => bodies(run.stdout()).length >= 1, { what: "its record" });
  assertEquals(await run.stop(), 0, run.stderr());
  // It was still running (the input idle) when SIGTERM came, and the command ran once.
  assertStringIncludes(run.stderr(), "received SIGTERM");
  assertEquals(bodies(run.stdout()), [{ exec: "once" }]);
  assertEquals(await Deno.readTextFile(`${dir}/runs`), "run\n");
});

Deno.test("exec: propagate_exit_code without exit_after_oneshot is a config error at its key", async () => {
  const cfg = await configFile(
    "bad.yaml",
    execYaml("command: echo x\npropagate_exit_code: on"),
  );
  const res = await runSluice(["-c", cfg], { timeoutMs: 30_000 });
  assertEquals(res.code, 2, res.stderr);
  assertStringIncludes(res.stderr, `${cfg}:8:7: key "propagate_exit_code"`);
  assertStringIncludes(res.stderr, "set exit_after_oneshot on");
});

Deno.test("exec: parser on each line; a line it does not match is kept and logged once", async () => {
  const cfg = await configFile(
    "parser.yaml",
    execYaml(
      "command: printf 'a=1\\nb=22\\nnot a pair\\nc=3\\n'\nparser: kv\nexit_after_oneshot: on",
      "parsers:\n  - name: kv\n    format: regex\n    regex: '^(?<key>[a-z]+)=(?<val>\\d+)$'\n",
    ),
  );
  const res = await runSluice(["-c", cfg], { timeoutMs: 30_000 });
  assertEquals(res.code, 0, res.stderr);
  assertEquals(bodies(res.stdout), [
    { key: "a", val: "1" },
    { key: "b", val: "22" },
    { exec: "not a pair" },
    { key: "c", val: "3" },
  ]);
  assertStringIncludes(res.stderr, 'did not match a line, kept as {"exec": line}');
});

Deno.test("exec: a command hanging past its interval is not doubled, is logged, and is stopped with sluice", async () => {
  const marker = `60.${Date.now() % 1_000_000}`; // a unique sleep duration to find it by
  const cfg = await configFile(
    "hang.yaml",
    execYaml(
      `command: echo started; sleep ${marker}\ninterval_sec: 0\ninterval_nsec: 200000000`,
    ),
  );
  const run = startSluice(cfg);
  await waitFor(() => run.stderr().includes("is still running after its interval"), {
    what: "the hang warning",
  });
  await waitFor(() => bodies(run.stdout()).length >= 1, { what: "the first line" });
  const pgrep = () =>
    new Deno.Command("pgrep", { args: ["-f", `sleep ${marker}`], stdout: "piped" }).outputSync();
  assert(pgrep().success, "the command runs");
  assertEquals(await run.stop(), 0, run.stderr());
  assertEquals(bodies(run.stdout()), [{ exec: "started" }], "no second run");
  await waitFor(() => !pgrep().success, { what: "the command to be gone" });
});

Deno.test("exec: a failing command's exit code and stderr are logged; runs go on", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_exec_" });
  const cfg = await configFile(
    "fail.yaml",
    execYaml(
      `command: echo run >> ${dir}/runs; echo out; echo oops >&2; exit 7\ninterval_sec: 0\n` +
        "interval_nsec: 100000000",
    ),
  );
  const run = startSluice(cfg);
  await waitFor(() => bodies(run.stdout()).length >= 3, { what: "three runs" });
  assertEquals(await run.stop(), 0, run.stderr());
  assertStringIncludes(run.stderr(), "exited with code 7; stderr: oops");
  const runs = (await Deno.readTextFile(`${dir}/runs`)).split("\n").filter((l) => l).length;
  assert(bodies(run.stdout()).every((b) => b.exec === "out"));
  assert(bodies(run.stdout()).length <= runs, "no record without a run");
});

Deno.test("exec: output far over buf_size: long lines whole, every line a record", async () => {
  const cfg = await configFile(
    "huge.yaml",
    execYaml(
      "command: head -c 100000 /dev/zero | tr '\\0' x; echo; seq 1 20000; printf tail\n" +
        "buf_size: 4096\nexit_after_oneshot: on",
    ),
  );
  const res = await runSluice(["-c", cfg], { timeoutMs: 60_000 });
  assertEquals(res.code, 0, res.stderr);
  const got = bodies(res.stdout);
  assertEquals(got.length, 20002);
  assert(got[0]!.exec === "x".repeat(100_000), "the 100000-byte line is one record, whole");
  assertEquals(got[1], { exec: "1" });
  assertEquals(got[20000], { exec: "20000" });
  assertEquals(got[20001], { exec: "tail" }, "the last line without a newline");
});

Deno.test({
  name: "exec: the same records and exit code as Fluent Bit's in_exec (one-shot .conf)",
  ignore: peer === null,
  async fn() {
    const cfg = await configFile(
      "fb.conf",
      "[SERVICE]\n    flush 0.2\n[INPUT]\n    name exec\n" +
        "    command printf 'alpha\\nbeta gamma\\n\\nlast'; exit 4\n" +
        "    oneshot true\n    exit_after_oneshot true\n    propagate_exit_code true\n" +
        "[OUTPUT]\n    name stdout\n    match *\n    format json_lines\n",
    );
    const fb = spawnFluentBit(peer!, ["-c", cfg]);
    const fbStatus = await fb.child.status;
    await fb.stop();
    const ours = await runSluice(["-c", cfg], { timeoutMs: 30_000 });
    assertEquals(ours.code, fbStatus.code, ours.stderr);
    assertEquals(bodies(ours.stdout), bodies(fb.stdout()));
    assertEquals(bodies(ours.stdout).length, 4);
  },
});
