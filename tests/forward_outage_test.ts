/**
 * The aggregator down for 30 s: tail → sluice agent (filesystem storage) → forward
 * (require_ack_response) → sluice aggregator → a local HTTP sink. Numbered lines are written
 * at a steady pace before, during and after the outage. While the aggregator is down the agent
 * keeps the lines in chunk files (seen in its `/api/v1/storage` and in its storage
 * directory, never more bytes than its `storage.total_limit_size`, at most
 * `storage.max_chunks_up` chunks in memory); once the aggregator is back
 * every line arrives, duplicates bounded by the chunks in flight and counted.
 * FORWARD_OUTAGE_SECONDS sets the outage (default 30), FORWARD_OUTAGE_LINES the lines (20,000).
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

const LINES = Number(Deno.env.get("FORWARD_OUTAGE_LINES") ?? 20_000);
const OUTAGE_MS = 1000 * Number(Deno.env.get("FORWARD_OUTAGE_SECONDS") ?? 30);
/** 200 lines every 400 ms: 20,000 lines take 40 s, so they span the whole outage. */
const BATCH = 200;
const PACE_MS = 400;
/** Above the ~2.4 MB all lines take on disk, so nothing is dropped, yet a real bound. */
const LIMIT_BYTES = 4 << 20;
/** Chunks the forward output may hold in memory; the rest of the backlog waits on disk only. */
const MAX_CHUNKS_UP = 8;

/** Bytes of every file under `dir` (0 when it does not exist yet). */
async function treeBytes(dir: string): Promise<number> {
  let n = 0;
  try {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) n += await treeBytes(p);
      else if (e.isFile) n += await Deno.stat(p).then((s) => s.size, () => 0);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return n;
}

/** The agent's filesystem chunk counts from `/api/v1/storage` (zeros while it does not answer). */
async function fsChunks(httpPort: number): Promise<{ total: number; up: number; down: number }> {
  try {
    const res = await fetch(`http://127.0.0.1:${httpPort}/api/v1/storage`);
    const c = (await res.json()).storage_layer?.chunks ?? {};
    return { total: c.fs_chunks ?? 0, up: c.fs_chunks_up ?? 0, down: c.fs_chunks_down ?? 0 };
  } catch {
    return { total: 0, up: 0, down: 0 };
  }
}

Deno.test(`agent → forward → aggregator down ${OUTAGE_MS / 1000} s: ${LINES} lines buffered on disk, none lost`, async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_outage_" });
  const rx = await HttpReceiver.start();
  const aggPort = freePort();
  const httpPort = freePort();
  await Deno.writeTextFile(
    `${dir}/agent.yaml`,
    chainAgent(dir, aggPort, {
      service: [
        "http_server: on",
        "http_listen: 127.0.0.1",
        `http_port: ${httpPort}`,
        "storage.metrics: on",
        `storage.max_chunks_up: ${MAX_CHUNKS_UP}`,
      ],
      output: [`storage.total_limit_size: ${LIMIT_BYTES}`],
    }),
  );
  await Deno.writeTextFile(`${dir}/agg.yaml`, chainAggregator(dir, aggPort, rx.port));
  await Deno.writeTextFile(`${dir}/in.log`, "");
  let written = 0;
  const writer = (async () => {
    while (written < LINES) {
      const to = Math.min(LINES, written + BATCH);
      await appendLines(`${dir}/in.log`, written, to);
      written = to;
      await new Promise((r) => setTimeout(r, PACE_MS));
    }
  })();
  let agg: Deno.ChildProcess | null = start(`${dir}/agg.yaml`);
  const ag = start(`${dir}/agent.yaml`);
  const delivered = () => rx.recordCount();
  let outage = { writtenBefore: 0, writtenAfter: 0, deliveredBefore: 0, deliveredAfter: 0 };
  const max = { total: 0, up: 0, down: 0 };
  let maxBytes = 0;
  try {
    await until(() => delivered() >= 1_000, "the chain to deliver before the outage", {
      timeout: 60_000,
    });
    agg.kill("SIGTERM");
    await agg.status;
    agg = null;
    outage = { ...outage, writtenBefore: written, deliveredBefore: delivered() };
    const end = Date.now() + OUTAGE_MS;
    while (Date.now() < end) {
      const c = await fsChunks(httpPort);
      for (const k of ["total", "up", "down"] as const) max[k] = Math.max(max[k], c[k]);
      maxBytes = Math.max(maxBytes, await treeBytes(`${dir}/agent_store`));
      await new Promise((r) => setTimeout(r, 500));
    }
    outage = { ...outage, writtenAfter: written, deliveredAfter: delivered() };
    agg = start(`${dir}/agg.yaml`);
    await writer;
    await until(() => idCounts(rx.records()).size >= LINES, "every line at the sink", {
      timeout: 120_000,
    });
  } finally {
    await stopAll([ag, agg]);
    await writer;
    await rx.stop();
  }
  // The outage was real: lines kept coming, none reached the sink, the agent held them on disk.
  assert(outage.writtenAfter - outage.writtenBefore >= BATCH, `lines written during the outage`);
  assertEquals(outage.deliveredAfter, outage.deliveredBefore, "records delivered while down");
  assert(max.total > 0, "no filesystem chunk in /api/v1/storage during the outage");
  assert(max.down > 0, "no chunk waited on disk only during the outage");
  assert(max.up <= MAX_CHUNKS_UP, `${max.up} chunks in memory, over storage.max_chunks_up`);
  assert(maxBytes > 0, "nothing in the agent's storage directory during the outage");
  assert(maxBytes <= LIMIT_BYTES, `${maxBytes} bytes stored, over storage.total_limit_size`);
  const counts = idCounts(rx.records());
  assertEquals(missingIds(counts, LINES), [], "lost lines");
  const duplicates = duplicateCount(counts);
  // The stop may resend what was in flight.
  const bound = inFlightLines();
  assert(duplicates <= bound, `${duplicates} duplicates, more than the in-flight bound ${bound}`);
  console.log(
    `outage test: ${LINES} lines, aggregator down ${OUTAGE_MS / 1000} s while ` +
      `${outage.writtenAfter - outage.writtenBefore} were written; agent held up to ` +
      `${max.total} chunks (${max.down} on disk only), ${maxBytes} bytes: ` +
      `0 lost, ${duplicates} duplicates`,
  );
  await Deno.remove(dir, { recursive: true });
});
