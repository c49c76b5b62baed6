/**
 * Backpressure: a slow output fills an input's `mem_buf_limit`, the input pauses (the
 * metric says so) and memory stays bounded; once the output catches up the input resumes
 * and every record arrives. Run as a user would: the CLI, a 100 MB file, a real receiver.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { appendLines } from "./_delivery.ts";
import { until } from "../src/testing/until.ts";
import { freePort, spawnSluice } from "./_helpers.ts";

const LINES = 1_000_000;
/** Reading the whole file unpaused takes about 450 MB here; paused at 2 MB, about 130 MB. */
const RSS_BOUND_MB = 220;

async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function paused(port: number): Promise<number | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v2/metrics/prometheus`);
    const m = /fluentbit_input_ingestion_paused\{name="tail\.0"\} (\d)/.exec(await res.text());
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

Deno.test("a slow output with mem_buf_limit: the input pauses, memory stays bounded, then it resumes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_backpressure_" });
  for (let i = 0; i < LINES; i += 100_000) await appendLines(`${dir}/in.log`, i, i + 100_000);
  const rx = await HttpReceiver.start({ mode: { kind: "delay", ms: 2000 } });
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    `
service:
  flush: 0.2
  grace: 5
  log_level: warn
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${port}
pipeline:
  inputs:
    - name: tail
      path: ${dir}/in.log
      read_from_head: true
      mem_buf_limit: 2M
  outputs:
    - name: http
      match: "*"
      port: ${rx.port}
      format: json_lines
`,
  );
  const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
  try {
    await until(async () => (await paused(port)) === 1, "the input to pause", { timeout: 30_000 });
    let peak = 0;
    for (let i = 0; i < 30; i++) {
      peak = Math.max(peak, await rssMb(child.pid));
      await new Promise((r) => setTimeout(r, 100));
    }
    assert(peak < RSS_BOUND_MB, `peak RSS ${peak.toFixed(0)} MB while paused`);
    assert(rx.recordCount() < LINES / 2, "the slow receiver has not had most of it yet");

    rx.mode = { kind: "ok" };
    await until(() => rx.recordCount() >= LINES, "every record", { timeout: 60_000 });
    await until(async () => (await paused(port)) === 0, "the input to resume", { timeout: 20_000 });
    assertEquals(rx.recordCount(), LINES);
  } finally {
    child.kill("SIGTERM");
    const status = await child.status;
    await child.stdout.cancel();
    const err = new TextDecoder().decode(
      (await new Response(child.stderr).arrayBuffer()) as unknown as Uint8Array,
    );
    await rx.stop();
    assertEquals(status.code, 0, err);
    assert(err.includes("paused (mem buf overlimit"), err);
  }
});
