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
import { appendLines, idCounts, missingIds, numberedLine } from "./_delivery.ts";
import { CHUNK_MAX_BYTES } from "../src/event/chunk.ts";
import { freePort, spawnSluice } from "./_helpers.ts";

const LINES = Number(Deno.env.get("FORWARD_OUTAGE_LINES") ?? 20_000);
const OUTAGE_MS = 1000 * Number(Deno.env.get("FORWARD_OUTAGE_SECONDS") ?? 30);
/** 200 lines every 400 ms: 20,000 lines take 40 s, so they span the whole outage. */
const BATCH = 200;
const PACE_MS = 400;
/** Above the ~2.4 MB all lines take on disk, so nothing is dropped, yet a real bound. */
const LIMIT_BYTES = 4 << 20;
/** Chunks the forward output may hold in memory; the rest of the backlog waits on disk only. */
const MAX_CHUNKS_UP = 8;

function agent(dir: string, aggPort: number, httpPort: number): string {
  return `
service:
  flush: 0.2
  grace: 2
  scheduler.base: 0.2
  scheduler.cap: 1
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${httpPort}
  storage.metrics: on
  storage.path: ${dir}/agent_store
  storage.max_chunks_up: ${MAX_CHUNKS_UP}
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
      storage.total_limit_size: ${LIMIT_BYTES}
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
  await Deno.writeTextFile(`${dir}/agent.yaml`, agent(dir, aggPort, httpPort));
  await Deno.writeTextFile(`${dir}/agg.yaml`, aggregator(dir, aggPort, rx.port));
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
    for (const c of [ag, agg]) {
      if (!c) continue;
      try {
        c.kill("SIGTERM");
      } catch {
        // exited
      }
      await c.status;
    }
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
  let duplicates = 0;
  for (const c of counts.values()) duplicates += c - 1;
  // The stop may resend what was in flight: the forward output's 2 workers' chunks and one
  // more the sink took but storage had not yet dropped, each at most CHUNK_MAX_BYTES of lines.
  const perChunk = Math.ceil(CHUNK_MAX_BYTES / (numberedLine(0).length + 1));
  const bound = 3 * perChunk;
  assert(duplicates <= bound, `${duplicates} duplicates, more than the in-flight bound ${bound}`);
  console.log(
    `outage test: ${LINES} lines, aggregator down ${OUTAGE_MS / 1000} s while ` +
      `${outage.writtenAfter - outage.writtenBefore} were written; agent held up to ` +
      `${max.total} chunks (${max.down} on disk only), ${maxBytes} bytes: ` +
      `0 lost, ${duplicates} duplicates`,
  );
  await Deno.remove(dir, { recursive: true });
});
