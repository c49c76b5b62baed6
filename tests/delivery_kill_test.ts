/**
 * Crash safety: sluice is SIGKILLed again and again while a file keeps growing (tail with a
 * `db`, filesystem storage, an http output), then runs once cleanly. Every line written
 * must arrive at least once; duplicates are allowed (a chunk sent just before a kill is
 * sent again) and counted.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { appendLines, idCounts, missingIds } from "./_delivery.ts";
import { until } from "../src/testing/until.ts";
import { spawnSluice } from "./_helpers.ts";
import { storedTail } from "./_forward.ts";

const KILLS = 6;
const BATCH = 200;

function config(dir: string, port: number): string {
  return `
service:
  flush: 0.1
  grace: 3
  log_level: info
  storage.path: ${dir}/store
  storage.max_chunks_up: 4
pipeline:
  inputs:
${storedTail(dir)}  outputs:
    - name: http
      match: "*"
      port: ${port}
      format: json_lines
      retry_limit: no_limits
`;
}

async function stop(
  child: Deno.ChildProcess,
  signal: Deno.Signal,
): Promise<{ code: number; stderr: string }> {
  child.kill(signal);
  const out = await child.output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test(`SIGKILL ${KILLS} times during sustained tail ingestion, then a clean run: nothing lost`, async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_kill_" });
  await Deno.writeTextFile(`${dir}/sluice.yaml`, config(dir, 0));
  await Deno.writeTextFile(`${dir}/in.log`, "");
  // A slow receiver keeps chunks waiting in storage when the kills come.
  const rx = await HttpReceiver.start({ mode: { kind: "delay", ms: 30 } });
  await Deno.writeTextFile(`${dir}/sluice.yaml`, config(dir, rx.port));

  let written = 0;
  let writing = true;
  const writer = (async () => {
    while (writing) {
      await appendLines(`${dir}/in.log`, written, written + BATCH);
      written += BATCH;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();

  let replays = 0;
  for (let k = 0; k < KILLS; k++) {
    const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
    const before = rx.recordCount();
    // Kill once this run has delivered something, at a random moment after that.
    await until(() => rx.recordCount() > before, `run ${k + 1} to deliver`, { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 700));
    const killed = await stop(child, "SIGKILL");
    assertEquals(killed.code, 137);
    if (/replaying [1-9]\d* chunks/.test(killed.stderr)) replays++;
  }
  writing = false;
  await writer;

  const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
  try {
    await until(() => idCounts(rx.records()).size >= written, "every line", { timeout: 60_000 });
  } finally {
    const last = await stop(child, "SIGTERM");
    assertEquals(last.code, 0, last.stderr);
    if (/replaying [1-9]\d* chunks/.test(last.stderr)) replays++;
    await rx.stop();
  }
  const counts = idCounts(rx.records());
  assertEquals(missingIds(counts, written), [], "lost lines");
  let duplicates = 0;
  for (const c of counts.values()) duplicates += c - 1;
  console.log(
    `kill test: ${KILLS} SIGKILLs, ${written} lines written, 0 lost, ` +
      `${duplicates} duplicates (${(100 * duplicates / written).toFixed(2)}%), ` +
      `${replays} of ${KILLS + 1} starts replayed chunks left on disk`,
  );
});
