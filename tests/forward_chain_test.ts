/**
 * The agent → aggregator chain under crashes: tail → sluice agent → forward (require_ack,
 * filesystem storage on both) → sluice aggregator → a local HTTP sink. Lines are written
 * while the aggregator is SIGKILLed twice and the agent once, each restarted. Every
 * numbered line must arrive (an acked chunk is on the aggregator's disk, an unacked one is
 * sent again by the agent); duplicates are allowed, bounded by the chunks in flight (a
 * tail chunk of 2 MB holds ~20,000 of these lines), and counted. FORWARD_CHAIN_LINES sets the line count (default 200,000).
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { until } from "../src/testing/until.ts";
import { appendLines, idCounts, missingIds, numberedLine } from "./_delivery.ts";
import { CHUNK_MAX_BYTES } from "../src/event/chunk.ts";
import { freePort, spawnSluice } from "./_helpers.ts";

const LINES = Number(Deno.env.get("FORWARD_CHAIN_LINES") ?? 200_000);
const BATCH = 2_000;
/** Who is killed, in order (FORWARD_CHAIN_KILLS="" runs the chain without kills). */
const VICTIMS = (Deno.env.get("FORWARD_CHAIN_KILLS") ?? "aggregator,agent,aggregator").split(",")
  .filter((v) => v !== "");

function agent(dir: string, aggPort: number): string {
  return `
service:
  flush: 0.2
  grace: 2
  scheduler.base: 0.2
  scheduler.cap: 1
  storage.path: ${dir}/agent_store
pipeline:
  inputs:
    - name: tail
      path: ${dir}/in.log
      read_from_head: true
      db: ${dir}/tail.db
      refresh_interval: 1
      storage.type: filesystem
  outputs:
    - name: forward
      match: "*"
      host: 127.0.0.1
      port: ${aggPort}
      require_ack_response: true
      retry_limit: no_limits
      net.io_timeout: 5s
`;
}

function aggregator(dir: string, aggPort: number, sinkPort: number): string {
  return `
service:
  flush: 0.2
  grace: 2
  scheduler.base: 0.2
  scheduler.cap: 1
  storage.path: ${dir}/agg_store
pipeline:
  inputs:
    - { name: forward, listen: 127.0.0.1, port: ${aggPort}, storage.type: filesystem }
  outputs:
    - name: http
      match: "*"
      port: ${sinkPort}
      format: json_lines
      retry_limit: no_limits
`;
}

function start(config: string): Deno.ChildProcess {
  const child = spawnSluice(["-c", config]);
  // Drained, not cancelled: a closed pipe would fail sluice's log writes.
  child.stdout.pipeTo(new WritableStream()).catch(() => {});
  child.stderr.pipeTo(new WritableStream()).catch(() => {});
  return child;
}

async function kill(child: Deno.ChildProcess): Promise<void> {
  child.kill("SIGKILL");
  await child.status;
}

Deno.test(`agent → forward → aggregator: ${LINES} lines, 3 SIGKILLs, nothing lost`, async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_chain_" });
  const rx = await HttpReceiver.start();
  const aggPort = freePort();
  await Deno.writeTextFile(`${dir}/agent.yaml`, agent(dir, aggPort));
  await Deno.writeTextFile(`${dir}/agg.yaml`, aggregator(dir, aggPort, rx.port));
  await Deno.writeTextFile(`${dir}/in.log`, "");
  let written = 0;
  const writer = (async () => {
    while (written < LINES) {
      const to = Math.min(LINES, written + BATCH);
      await appendLines(`${dir}/in.log`, written, to);
      written = to;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  let agg = start(`${dir}/agg.yaml`);
  let ag = start(`${dir}/agent.yaml`);
  const delivered = () => rx.recordCount();
  try {
    // Kill the aggregator twice and the agent once, each after the chain moved on.
    for (const victim of VICTIMS) {
      const before = delivered();
      await until(
        () => delivered() > before + 5_000 || written >= LINES && delivered() > before,
        `the chain to deliver before killing the ${victim}`,
        {
          timeout: 60_000,
        },
      );
      if (victim === "aggregator") {
        await kill(agg);
        agg = start(`${dir}/agg.yaml`);
      } else {
        await kill(ag);
        ag = start(`${dir}/agent.yaml`);
      }
    }
    await writer;
    await until(() => idCounts(rx.records()).size >= LINES, "every line at the sink", {
      timeout: 120_000,
    });
  } finally {
    for (const c of [ag, agg]) {
      try {
        c.kill("SIGTERM");
      } catch {
        // exited
      }
      await c.status;
    }
    await rx.stop();
  }
  const counts = idCounts(rx.records());
  assertEquals(missingIds(counts, LINES), [], "lost lines");
  let duplicates = 0;
  for (const c of counts.values()) duplicates += c - 1;
  // Each kill may resend what was in flight: the forward output's 2 workers' chunks and one
  // more the sink took but storage had not yet dropped, each at most CHUNK_MAX_BYTES of lines.
  const perChunk = Math.ceil(CHUNK_MAX_BYTES / (numberedLine(0).length + 1));
  const bound = VICTIMS.length * 3 * perChunk;
  assert(duplicates <= bound, `${duplicates} duplicates, more than the in-flight bound ${bound}`);
  console.log(
    `chain test: ${LINES} lines, aggregator killed twice and agent once: 0 lost, ` +
      `${duplicates} duplicates (${(100 * duplicates / LINES).toFixed(2)}%)`,
  );
  await Deno.remove(dir, { recursive: true });
});
