/**
 * `sluice top` as a person sees it: a live instance (tail of a growing file → null, with the
 * monitoring server on), `sluice top` in an 80×24 tmux pane, the screen read back with
 * `capture-pane`: numbers change, the file and its lag show, it follows a resize, `q` quits
 * with 0, and when the instance goes away it says so and exits 1 without a stack trace.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { freePort, ROOT, runSluice, spawnSluice, tempDirWith, waitFor } from "./_helpers.ts";
import { hasTmux, Tmux } from "./_tmux.ts";

const skip = !hasTmux();
if (skip) console.warn("skipping sluice top tests: tmux is not installed (apt-get install tmux)");

interface Instance {
  dir: string;
  port: number;
  child: Deno.ChildProcess;
  stopWriting: () => Promise<void>;
  stop: () => Promise<void>;
}

/** Starts sluice on a config: tail of a file a writer keeps appending to, into null. */
async function startInstance(): Promise<Instance> {
  const port = freePort();
  const dir = await tempDirWith({ "app.log": "" });
  const config = `${dir}/sluice.yaml`;
  await Deno.writeTextFile(
    config,
    `service:
  http_server: on
  http_port: ${port}
  flush: 0.2
pipeline:
  inputs:
    - name: tail
      path: ${dir}/app.log
      tag: app
      refresh_interval: 1
  filters:
    - name: grep
      match: app
      exclude: message ^drop
  outputs:
    - name: null
      match: "*"
`,
  );
  const child = spawnSluice(["-c", config]);
  let writing = true;
  const writer = (async () => {
    let n = 0;
    while (writing) {
      const lines = Array.from({ length: 50 }, () => `line ${n++} ${"x".repeat(60)}\n`).join("");
      await Deno.writeTextFile(`${dir}/app.log`, lines, { append: true });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await waitFor(async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v2/pipeline`);
    const body = await res.json();
    return body.inputs[0].files.length > 0;
  }, { what: "the instance's monitoring server and its tail file", timeoutMs: 30_000 });
  const stopWriting = async () => {
    writing = false;
    await writer;
  };
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await stopWriting();
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.output();
    })();
    return stopped;
  };
  return { dir, port, child, stopWriting, stop };
}

const topCommand = (port: number, env = "") =>
  `${env}${Deno.execPath()} run --allow-all ${ROOT}main.ts top -P ${port}`;

/** Polls until `check` gives a screen back. */
async function screenWhen(
  check: () => Promise<string | undefined>,
  options: { what: string; timeoutMs?: number },
): Promise<string> {
  return (await waitFor(check, options))!;
}

function screenLines(screen: string): string[] {
  return screen.replace(/\n$/, "").split("\n");
}

/** The RECORDS column of the tail.0 row. */
function tailRecords(screen: string): number | undefined {
  const row = screenLines(screen).find((l) => l.startsWith("tail.0"));
  const cells = row?.trim().split(/ +/);
  return cells ? Number(cells[3]) : undefined;
}

/** A test with a live instance, stopped and removed afterwards. */
function instanceTest(
  name: string,
  options: { needsTmux: boolean },
  body: (inst: Instance) => Promise<void>,
): void {
  Deno.test({
    name,
    ignore: options.needsTmux && skip,
    sanitizeResources: false,
    sanitizeOps: false,
  }, async () => {
    const inst = await startInstance();
    try {
      await body(inst);
    } finally {
      await inst.stop();
      await Deno.remove(inst.dir, { recursive: true });
    }
  });
}

/** A test with a live instance and a private tmux server, both torn down afterwards. */
function topTest(name: string, body: (inst: Instance, tmux: Tmux) => Promise<void>): void {
  instanceTest(name, { needsTmux: true }, async (inst) => {
    const tmux = new Tmux(`${inst.dir}/tmux.sock`);
    try {
      await body(inst, tmux);
    } finally {
      await tmux.kill();
    }
  });
}

topTest(
  "sluice top in an 80x24 tmux pane shows live rates, files and lag, resizes, q quits",
  async (inst, tmux) => {
    await tmux.start(topCommand(inst.port, "env -u NO_COLOR "), { width: 80, height: 24 });
    const first = await screenWhen(async () => {
      const s = await tmux.capture();
      return /^tail\.0 +\d/m.test(s) && /^null\.0 +\d/m.test(s) ? s : undefined;
    }, { what: "top's first screen with rates", timeoutMs: 30_000 });
    const lines = screenLines(first);
    assertEquals(lines.length, 24, first);
    assert(lines.every((l) => l.length <= 80), first);
    assertStringIncludes(first, "health ok");
    assertStringIncludes(first, `${inst.dir}/sluice.yaml`);
    for (const head of ["INPUT", "FILTER", "OUTPUT", "FILE", "RECENT ERRORS"]) {
      assert(lines.some((l) => l.startsWith(head)), `no ${head} section in:\n${first}`);
    }
    const fileRow = lines.find((l) => l.includes("app.log"));
    assert(fileRow?.includes("tail.0") && fileRow.includes("active"), first);
    // The header row spans the width: its last column ends at column 80.
    assertEquals(lines.find((l) => l.startsWith("INPUT"))?.trimEnd().length, 80);

    // The numbers move while records flow.
    const before = tailRecords(first)!;
    const later = await screenWhen(async () => {
      const s = await tmux.capture();
      const n = tailRecords(s);
      return n !== undefined && n > before ? s : undefined;
    }, { what: "the RECORDS count to grow", timeoutMs: 20_000 });
    assert(tailRecords(later)! > before);

    // Colour on a terminal without NO_COLOR.
    assertStringIncludes(await tmux.capture(true), "\x1b[");

    await tmux.resize(100, 30);
    const wide = await screenWhen(async () => {
      const s = await tmux.capture();
      const head = screenLines(s).find((l) => l.startsWith("INPUT"));
      return head?.trimEnd().length === 100 ? s : undefined;
    }, { what: "top to redraw at 100 columns" });
    assert(screenLines(wide).every((l) => l.length <= 100));

    await tmux.keys("q");
    const { status } = (await waitFor(() => tmux.exited(), { what: "top to exit on q" }))!;
    assertEquals(status, 0);
  },
);

topTest(
  "sluice top says the instance went away and exits 1, without a stack trace",
  async (inst, tmux) => {
    await tmux.start(topCommand(inst.port), { width: 80, height: 24 });
    await waitFor(async () => /^tail\.0/m.test(await tmux.capture()), { what: "top's screen" });
    // NO_COLOR is set in this pane: no colour codes.
    const sgr = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`);
    assert(!sgr.test(await tmux.capture(true)), "colour despite NO_COLOR");
    await inst.stop();
    const { status } = (await waitFor(() => tmux.exited(), {
      what: "top to exit after the instance stopped",
      timeoutMs: 20_000,
    }))!;
    assertEquals(status, 1);
    // Leaving the alternate screen, the message lands on the main one (partly in its history).
    const screen = await tmux.capture(false, true);
    assertStringIncludes(
      screen,
      `sluice top: lost the instance at http://127.0.0.1:${inst.port}: connection refused`,
    );
    assert(!/^\s+at /m.test(screen), `a stack trace:\n${screen}`);
  },
);

Deno.test("sluice top with no instance: a clear message, exit 1, and no colour when piped", async () => {
  const port = freePort();
  const res = await runSluice(["top", "-P", String(port)], { env: { NO_COLOR: "" } });
  assertEquals(res.code, 1);
  assertStringIncludes(res.stderr, `cannot reach the monitoring server`);
  assertStringIncludes(res.stderr, `http://127.0.0.1:${port}: connection refused`);
  assert(!/^\s+at /m.test(res.stderr), res.stderr);
});

// No tmux here: it runs wherever sluice does.
instanceTest(
  "sluice top --once prints one plain screen when stdout is not a terminal",
  { needsTmux: false },
  async (inst) => {
    const res = await runSluice(["top", "--url", `http://127.0.0.1:${inst.port}/`, "--once"], {
      env: { NO_COLOR: "", COLUMNS: "80", LINES: "24" },
    });
    assertEquals(res.code, 0, res.stderr);
    assert(!res.stdout.includes("\x1b"), "escape codes on a pipe");
    assert(/^tail\.0 +[\d.]+/m.test(res.stdout), res.stdout);
    assert(res.stdout.split("\n").every((l) => l.length <= 80), res.stdout);
  },
);
