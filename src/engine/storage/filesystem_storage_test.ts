import { assert, assertEquals } from "../../testing/assert.ts";
import { until } from "../../testing/until.ts";
import { Ack } from "../../event/ack.ts";
import type { Chunk, LogChunk } from "../../event/chunk.ts";
import { EventTime } from "../../event/event_time.ts";
import type { LogRecord } from "../../event/log_record.ts";
import { Logger, memorySink } from "../log.ts";
import { MetricsRegistry } from "../metrics.ts";
import { DeadLetterStore, listDeadLetters } from "./dead_letter.ts";
import { FilesystemStorage, type FilesystemStorageOptions } from "./filesystem_storage.ts";
import type { StorageOutput } from "./stored_chunk.ts";

/** An output that keeps what it is given until the test settles it. */
class FakeOutput implements StorageOutput {
  queued: Chunk[] = [];
  constructor(readonly name: string, readonly limit = 0, readonly hasProcessors = false) {}
  enqueue(chunk: Chunk): void {
    this.queued.push(chunk);
  }
  evict(ack: Ack): Chunk[] | undefined {
    const taken = this.queued.filter((c) => c.ack === ack);
    this.queued = this.queued.filter((c) => c.ack !== ack);
    return taken.length ? taken : undefined;
  }
  /** Settles the oldest queued chunk and returns its first record's `n`. */
  deliverOne(): number {
    const c = this.queued.shift()!;
    c.ack.release();
    return (c.records[0] as LogRecord).body.n as number;
  }
}

function chunk(n: number, records = 3): LogChunk {
  const rs: LogRecord[] = [];
  for (let i = 0; i < records; i++) {
    rs.push({ time: new EventTime(1_700_000_000 + n, i), metadata: {}, body: { n, i } });
  }
  return {
    signal: "logs",
    tag: "app.log",
    input: "tail.0",
    records: rs,
    bytes: 100,
    ack: new Ack(),
  };
}

async function setup(extra: Partial<FilesystemStorageOptions> = {}) {
  const path = await Deno.makeTempDir({ prefix: "sluice_storage_" });
  const metrics = new MetricsRegistry();
  const sink = memorySink();
  const storage = new FilesystemStorage({
    path,
    sync: "normal",
    checksum: true,
    maxChunksUp: 128,
    backlogMemLimit: 5_000_000,
    deleteIrrecoverable: false,
    log: new Logger({ sink, level: "debug" }),
    metrics,
    ...extra,
  });
  return { path, metrics, storage, lines: sink.lines };
}

async function files(dir: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

Deno.test("persist() writes the chunk file before handing the chunk on under a new ack", async () => {
  const { path, storage } = await setup();
  const a = new FakeOutput("a");
  const b = new FakeOutput("b");
  storage.addOutput(a);
  storage.addOutput(b);
  const input = chunk(1);
  await storage.persist(input, [a, b]);
  assertEquals((await files(`${path}/tail.0`)).length, 1);
  assertEquals(a.queued.length, 1);
  assert(a.queued[0]!.ack !== input.ack && a.queued[0]!.ack !== b.queued[0]!.ack);
  assert(storage.isPersisted(a.queued[0]!) && !storage.isPersisted(input));
  assertEquals(a.deliverOne(), 1);
  await until(() => storage.openRoutes === 1, "a's route to finish");
  assertEquals((await files(`${path}/tail.0`)).length, 1, "kept while b has not delivered");
  b.deliverOne();
  await until(async () => (await files(`${path}/tail.0`)).length === 0, "the file to go");
  await storage.close();
});

Deno.test("storage.max_chunks_up: later chunks wait on disk and come back in order", async () => {
  const { storage } = await setup({ maxChunksUp: 2 });
  const out = new FakeOutput("a");
  storage.addOutput(out);
  for (let n = 0; n < 6; n++) await storage.persist(chunk(n), [out]);
  assertEquals(out.queued.length, 2);
  assertEquals(storage.stats.totals(), { chunks: 6, up: 2, down: 4, upBytes: 200 });
  const seen: number[] = [];
  while (seen.length < 6) {
    await until(() => out.queued.length > 0, "a chunk to be loaded");
    seen.push(out.deliverOne());
  }
  assertEquals(seen, [0, 1, 2, 3, 4, 5]);
  assertEquals(out.queued.length, 0);
  await storage.close();
});

Deno.test("a stuck output does not hold back another output's chunks", async () => {
  const { storage } = await setup({ maxChunksUp: 1 });
  const stuck = new FakeOutput("stuck");
  const fast = new FakeOutput("fast");
  storage.addOutput(stuck);
  storage.addOutput(fast);
  for (let n = 0; n < 4; n++) await storage.persist(chunk(n), [stuck, fast]);
  const seen: number[] = [];
  while (seen.length < 4) {
    await until(() => fast.queued.length > 0, "the fast output's next chunk");
    seen.push(fast.deliverOne());
  }
  assertEquals(seen, [0, 1, 2, 3]);
  assertEquals(stuck.queued.length, 1);
  await storage.close();
});

Deno.test("replay() queues an earlier run's files first and moves unreadable ones aside", async () => {
  const first = await setup();
  const out1 = new FakeOutput("a");
  first.storage.addOutput(out1);
  for (let n = 0; n < 3; n++) await first.storage.persist(chunk(n), [out1]);
  await first.storage.close(); // a "crash": nothing was delivered
  const dir = `${first.path}/tail.0`;
  const names = await files(dir);
  const data = await Deno.readFile(`${dir}/${names[1]}`);
  await Deno.writeFile(`${dir}/${names[1]}`, data.subarray(0, data.length - 7)); // truncated
  await Deno.writeTextFile(`${dir}/zz-garbage.flb`, "not a chunk at all");
  await Deno.writeTextFile(`${dir}/0-1-1.flb.tmp`, "partial");

  const again = await setup({ path: first.path } as Partial<FilesystemStorageOptions>);
  const storage = new FilesystemStorage({
    path: first.path,
    sync: "normal",
    checksum: false,
    maxChunksUp: 128,
    backlogMemLimit: 1,
    deleteIrrecoverable: false,
    log: new Logger({ sink: memorySink() }),
    metrics: again.metrics,
  });
  const out = new FakeOutput("a");
  storage.addOutput(out);
  const summary = await storage.replay(() => [out]);
  assertEquals(summary, { chunks: 1 + 1, records: 6, corrupt: 2, unroutable: 0 });
  await storage.persist(chunk(9), [out]);
  const seen: number[] = [];
  while (seen.length < 3) {
    await until(() => out.queued.length > 0, "the next chunk");
    seen.push(out.deliverOne());
  }
  assertEquals(seen, [0, 2, 9], "backlog first (one at a time: backlog.mem_limit), then new data");
  assertEquals((await files(`${first.path}/corrupt`)).length, 2);
  assertEquals(again.metrics.value("sluice_storage_corrupt_chunks_total", { name: "tail.0" }), 2);
  await until(async () => (await files(dir)).length === 0, "delivered files to go");
  await storage.close();
});

Deno.test("storage.total_limit_size drops an output's oldest chunk, counted and dead-lettered", async () => {
  const { path, storage, metrics } = await setup();
  const letters = new DeadLetterStore({
    dir: `${path}/rejected`,
    log: new Logger({ sink: memorySink() }),
    metrics,
  });
  const small = new FakeOutput("small", 1);
  const big = new FakeOutput("big");
  const s2 = new FilesystemStorage({
    path,
    sync: "normal",
    checksum: false,
    maxChunksUp: 1,
    backlogMemLimit: 5_000_000,
    deleteIrrecoverable: false,
    exclude: ["rejected"],
    deadLetters: letters,
    log: new Logger({ sink: memorySink() }),
    metrics,
  });
  await storage.close();
  s2.addOutput(small);
  s2.addOutput(big);
  await s2.persist(chunk(0), [small, big]); // up at "small"
  await s2.persist(chunk(1), [small, big]); // waits: drops chunk 0 from "small"
  await s2.persist(chunk(2), [small, big]); // drops chunk 1
  await until(() => small.queued.length === 1, "the newest chunk to be up");
  assertEquals(small.deliverOne(), 2);
  assertEquals(
    metrics.value("sluice_output_storage_limit_dropped_records_total", { name: "small" }),
    6,
  );
  assertEquals(metrics.value("fluentbit_output_dropped_records_total", { name: "small" }), 6);
  await until(
    async () => (await listDeadLetters(`${path}/rejected`)).length === 2,
    "two dead letters",
  );
  const letter = (await listDeadLetters(`${path}/rejected`))[0];
  assertEquals([letter!.header.output, letter!.header.reason, letter!.header.records], [
    "small",
    "storage limit",
    3,
  ]);
  for (let i = 0; i < 3; i++) {
    await until(() => big.queued.length > 0, "big's next chunk");
    big.deliverOne();
  }
  await until(async () => (await files(`${path}/tail.0`)).length === 0, "every file to go");
  await s2.close();
});
