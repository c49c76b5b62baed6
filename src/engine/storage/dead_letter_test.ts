import { assert, assertEquals, assertRejects } from "../../testing/assert.ts";
import { Ack } from "../../event/ack.ts";
import type { LogChunk } from "../../event/chunk.ts";
import { EventTime } from "../../event/event_time.ts";
import { Logger, memorySink } from "../log.ts";
import { MetricsRegistry } from "../metrics.ts";
import { DeadLetterStore, listDeadLetters, readDeadLetter } from "./dead_letter.ts";

function chunk(n: number): LogChunk {
  const records = Array.from({ length: n }, (_, i) => ({
    time: new EventTime(1_700_000_000, i),
    metadata: { m: 1 },
    body: { i, msg: "x".repeat(100) },
  }));
  return {
    signal: "logs",
    tag: "app/web",
    input: "tail.0",
    records,
    bytes: n * 100,
    ack: new Ack(),
  };
}

Deno.test("DeadLetterStore writes a readable file named by tag, status and output", async () => {
  const dir = await Deno.makeTempDir();
  const metrics = new MetricsRegistry();
  const store = new DeadLetterStore({
    dir: `${dir}/rejected`,
    log: new Logger({ sink: memorySink() }),
    metrics,
  });
  const c = chunk(3);
  assert(await store.write({ chunk: c, output: "http.0", reason: "rejected: bad", status: 400 }));
  const [entry] = await listDeadLetters(`${dir}/rejected`);
  assert(entry !== undefined);
  const name = entry.path.slice(entry.path.lastIndexOf("/") + 1);
  assert(name.startsWith("app_web_400_http.0_"), name);
  assertEquals([entry.header.output, entry.header.reason, entry.header.status], [
    "http.0",
    "rejected: bad",
    400,
  ]);
  const back = await readDeadLetter(entry.path);
  assertEquals(back.records, c.records);
  assertEquals(metrics.value("sluice_output_dead_letter_records_total", { name: "http.0" }), 3);
});

Deno.test("DeadLetterStore refuses what does not fit storage.rejected.limit, and counts it", async () => {
  const dir = await Deno.makeTempDir();
  const metrics = new MetricsRegistry();
  const store = new DeadLetterStore({
    dir,
    limit: 1000,
    log: new Logger({ sink: memorySink() }),
    metrics,
  });
  assert(await store.write({ chunk: chunk(2), output: "o", reason: "r" }));
  assertEquals(await store.write({ chunk: chunk(20), output: "o", reason: "r" }), false);
  assertEquals(metrics.value("sluice_output_dead_letter_failed_records_total", { name: "o" }), 20);
  assertEquals((await listDeadLetters(dir)).length, 1);
  await Deno.writeTextFile(`${dir}/junk.flb`, "not a letter");
  assertEquals((await listDeadLetters(dir)).length, 1, "unreadable files are skipped");
  await assertRejects(() => readDeadLetter(`${dir}/junk.flb`));
});
