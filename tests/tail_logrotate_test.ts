/**
 * End-to-end: the sluice CLI tails a file that a writer appends to continuously while the
 * real `logrotate` rotates it, in `create` mode (rename, new file) and in `copytruncate`
 * mode (copy, truncate in place). Every line arrives exactly once, in order per file.
 * Needs /usr/sbin/logrotate (`.ci/run` installs it); the tests are skipped without it.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { spawnSluice, waitFor } from "./_helpers.ts";

const LOGROTATE = ["/usr/sbin/logrotate", "/usr/bin/logrotate"].find((p) => {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
});

const ROTATIONS = 6;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Writes lines until `stop()` says so, reopening the path after a `create` rotation as an
 * application would; returns how many it wrote.
 */
async function write(path: string, reopen: boolean, stop: () => boolean): Promise<number> {
  const enc = new TextEncoder();
  let fd = await Deno.open(path, { append: true, create: true });
  let ino = (await fd.stat()).ino;
  let seq = 0;
  for (; !stop(); seq++) {
    await fd.write(enc.encode(`line ${seq} ${"x".repeat(seq % 50)}\n`));
    if (seq % 5 === 0) await sleep(1);
    if (reopen && seq % 10 === 0) {
      try {
        const st = await Deno.stat(path);
        if (st.ino !== ino) {
          fd.close();
          fd = await Deno.open(path, { append: true });
          ino = st.ino;
        }
      } catch {
        // Renamed, not created yet: keep writing to the old file for now.
      }
    }
  }
  fd.close();
  return seq;
}

/** The seq numbers in a file's lines, in order. */
async function seqsOf(path: string): Promise<number[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((l) => l.startsWith("line ")).map((l) => Number(l.split(" ")[1]));
}

async function rotationTest(mode: "create" | "copytruncate"): Promise<void> {
  if (!LOGROTATE) throw new Error("logrotate is not installed (.ci/run installs it with apt)");
  const dir = await Deno.makeTempDir({ prefix: `sluice_logrotate_${mode}_` });
  const log = `${dir}/app.log`;
  await Deno.writeTextFile(log, "");
  await Deno.writeTextFile(
    `${dir}/logrotate.conf`,
    `${log} {\n  rotate 50\n  ${mode}\n  missingok\n  nocompress\n}\n`,
  );
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    `service:\n  flush: 0.1\n  grace: 5\n  log_level: info\npipeline:\n  inputs:\n` +
      `    - name: tail\n      path: ${log}\n      db: ${dir}/tail.db\n      rotate_wait: 3\n` +
      `      refresh_interval: 1\n  outputs:\n    - name: file\n      match: "*"\n` +
      `      path: ${dir}\n      file: out.txt\n      format: plain\n`,
  );
  const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let stderrText = "";
  const logs = (async () => {
    for (;;) {
      const r = await stderr.read();
      if (r.done) return;
      stderrText += r.value;
    }
  })();
  try {
    await waitFor(() => stderrText.includes("following") || stderrText.includes("started"), {
      what: "sluice to start",
    });
    await sleep(500);
    let stop = false;
    const writing = write(log, mode === "create", () => stop);
    for (let i = 0; i < ROTATIONS; i++) {
      await sleep(350);
      const r = await new Deno.Command(LOGROTATE!, {
        args: ["-f", "-s", `${dir}/state`, `${dir}/logrotate.conf`],
        stdout: "null",
        stderr: "piped",
      }).output();
      assert(r.success, new TextDecoder().decode(r.stderr));
    }
    await sleep(300);
    stop = true;
    const LINES = await writing;

    // What the files hold at the end: the rotated ones and the current one.
    const files = [log];
    for (let n = 1; n <= ROTATIONS; n++) files.push(`${log}.${n}`);
    const inFiles = new Map<string, number[]>();
    for (const f of files) inFiles.set(f, await seqsOf(f).catch(() => []));
    const present = new Set([...inFiles.values()].flat());
    if (mode === "create") assertEquals(present.size, LINES, "create mode keeps every line");

    const outSeqs = async () =>
      (await Deno.readTextFile(`${dir}/out.txt`).catch(() => "")).split("\n").filter((l) => l)
        .map((l) => Number(String(JSON.parse(l).log).split(" ")[1]));
    await waitFor(async () => {
      const got = new Set(await outSeqs());
      return [...present].every((s) => got.has(s));
    }, {
      timeoutMs: 15_000,
      what: "every line in the files to arrive",
    }).catch(async () => {
      const got = new Set(await outSeqs());
      const missing = [...present].filter((s) => !got.has(s));
      throw new Error(
        `missing ${missing.length} lines, e.g. ${missing.slice(0, 10)}\n${stderrText}`,
      );
    });
    child.kill("SIGTERM");
    assertEquals((await child.status).code, 0);
    await logs;

    const out = await outSeqs();
    assertEquals(out.length, new Set(out).size, "no line twice");
    assert(out.every((s) => s >= 0 && s < LINES), "only lines that were written");
    // In order per file: each file's lines appear in the output in the file's order.
    const at = new Map(out.map((s, i) => [s, i]));
    for (const [f, seqs] of inFiles) {
      const positions = seqs.map((s) => at.get(s)!);
      assert(positions.every((p, i) => i === 0 || p > positions[i - 1]!), `order of ${f}`);
    }
    // copytruncate: a line written after logrotate's copy and before its truncate is in no
    // file; it arrives only when sluice read it in between. Every other line arrives.
    if (mode === "create") assertEquals(out.length, LINES);
    const seen = (stderrText.match(mode === "create" ? /rotated /g : /truncated /g) ?? []).length;
    assertEquals(seen, ROTATIONS, stderrText);
    assert(LINES > 1000, `only ${LINES} lines written`);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

// Under CI (`CI=true`, where .ci/run installs logrotate) a missing logrotate fails the test.
const skip = LOGROTATE === undefined && Deno.env.get("CI") !== "true";

Deno.test({
  name: "tail e2e: logrotate create mode while writing, every line once and in order",
  ignore: skip,
  fn: () => rotationTest("create"),
});

Deno.test({
  name: "tail e2e: logrotate copytruncate mode while writing, every line once and in order",
  ignore: skip,
  fn: () => rotationTest("copytruncate"),
});
