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
import { appendLines, idCounts, missingIds } from "./_delivery.ts";
import { freePort } from "./_helpers.ts";
import {
  chainAgent,
  chainAggregator,
  duplicateCount,
  inFlightLines,
  startDrained as start,
  stopAll,
} from "./_forward.ts";

const LINES = Number(Deno.env.get("FORWARD_CHAIN_LINES") ?? 200_000);
const BATCH = 2_000;
/** Who is killed, in order (FORWARD_CHAIN_KILLS="" runs the chain without kills). */
const VICTIMS = (Deno.env.get("FORWARD_CHAIN_KILLS") ?? "aggregator,agent,aggregator").split(",")
  .filter((v) => v !== "");

async function kill(child: Deno.ChildProcess): Promise<void> {
  child.kill("SIGKILL");
  await child.status;
}

Deno.test(`agent → forward → aggregator: ${LINES} lines, 3 SIGKILLs, nothing lost`, async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_chain_" });
  const rx = await HttpReceiver.start();
  const aggPort = freePort();
  await Deno.writeTextFile(`${dir}/agent.yaml`, chainAgent(dir, aggPort));
  await Deno.writeTextFile(`${dir}/agg.yaml`, chainAggregator(dir, aggPort, rx.port));
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
    await stopAll([ag, agg]);
    await rx.stop();
  }
  const counts = idCounts(rx.records());
  assertEquals(missingIds(counts, LINES), [], "lost lines");
  const duplicates = duplicateCount(counts);
  // Each kill may resend what was in flight.
  const bound = VICTIMS.length * inFlightLines();
  assert(duplicates <= bound, `${duplicates} duplicates, more than the in-flight bound ${bound}`);
  console.log(
    `chain test: ${LINES} lines, aggregator killed twice and agent once: 0 lost, ` +
      `${duplicates} duplicates (${(100 * duplicates / LINES).toFixed(2)}%)`,
  );
  await Deno.remove(dir, { recursive: true });
});
