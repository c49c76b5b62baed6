import { assert, assertEquals } from "../testing/assert.ts";
import { FakeClock } from "../testing/fake_clock.ts";
import { until, within } from "../testing/until.ts";
import { Ack } from "../event/ack.ts";
import type { Chunk, LogChunk } from "../event/chunk.ts";
import { EventTime } from "../event/event_time.ts";
import { PartialWriteError, PermanentError, RetryableError } from "./errors.ts";
import { Logger, memorySink } from "./log.ts";
import { MetricsRegistry } from "./metrics.ts";
import { OutputRunner, type OutputRunnerOptions, type Rejection } from "./output_runner.ts";
import type { OutputInstance } from "../plugin.ts";

function chunk(n: number, input = "in.0"): LogChunk {
  const records = Array.from({ length: n }, (_, i) => ({
    time: new EventTime(i, 0),
    metadata: {},
    body: { i },
  }));
  return { signal: "logs", tag: "t", input, records, bytes: n * 10, ack: new Ack() };
}

/** A runner on a fake clock: flush every 10 ms, retries 5-10 ms apart, at most 2. */
function runner(instance: OutputInstance, extra: Partial<OutputRunnerOptions> = {}) {
  const metrics = new MetricsRegistry();
  const clock = new FakeClock();
  const r = new OutputRunner({
    name: "out.0",
    instance,
    processors: (c) => c,
    log: new Logger({ sink: memorySink(), level: "error" }),
    metrics,
    flush: 0.01,
    workers: 1,
    retryLimit: 2,
    schedulerBase: 0.005,
    schedulerCap: 0.01,
    clock,
    ...extra,
  });
  const value = (m: string) => metrics.value(`fluentbit_output_${m}_total`, { name: "out.0" });
  return { r, value, clock };
}

/** Moves the fake clock 1 ms per turn until `check` holds (a state, not a promise). */
async function step(clock: FakeClock, check: () => boolean, what: string): Promise<void> {
  await until(() => check() || (clock.advance(1), false), what, { interval: 0 });
}

Deno.test("OutputRunner retries a RetryableError and settles the chunk once delivered", async () => {
  let calls = 0;
  const { r, value, clock } = runner({
    write: () => ++calls < 3 ? Promise.reject(new RetryableError("busy")) : Promise.resolve(),
  });
  const c = chunk(4);
  r.enqueue(c);
  await clock.runUntil(c.ack.done, "the chunk");
  // The first flush at 10 ms, then two backoffs of 5 to 10 ms each.
  assert(clock.now() >= 20 && clock.now() <= 30, `settled at ${clock.now()} ms`);
  assertEquals([calls, value("retries"), value("retried_records"), value("proc_records")], [
    3,
    2,
    8,
    4,
  ]);
  await r.close();
});

Deno.test("OutputRunner rejects after retry_limit and on PermanentError, with the reason", async () => {
  const rejections: Rejection[] = [];
  const fail = new RetryableError("down", { status: 503 });
  const { r, value, clock } = runner({ write: () => Promise.reject(fail) }, {
    onReject: (x) => void rejections.push(x),
  });
  const c = chunk(2);
  r.enqueue(c);
  await clock.runUntil(c.ack.done, "the chunk");
  assertEquals(rejections.length, 1);
  assertEquals(rejections[0]!.status, 503);
  assertEquals(rejections[0]!.reason, "retries exhausted after 3 attempts: down");
  assertEquals([value("retries_failed"), value("dropped_records")], [1, 0]);
  await r.close();

  const refused: Rejection[] = [];
  const p = runner({ write: () => Promise.reject(new PermanentError("bad", { status: 400 })) }, {
    onReject: (x) => void refused.push(x),
  });
  const d = chunk(3);
  p.r.enqueue(d);
  await p.clock.runUntil(d.ack.done, "the chunk");
  assertEquals([refused[0]!.reason, refused[0]!.status], ["rejected: bad", 400]);
  assertEquals([p.value("errors"), p.value("retries"), p.value("dropped_records")], [1, 0, 0]);
  await p.r.close();
});

Deno.test("OutputRunner counts a rejection nothing could keep as dropped", async () => {
  const { r, value, clock } = runner({ write: () => Promise.reject(new PermanentError("bad")) }, {
    onReject: () => Promise.resolve(false),
  });
  const c = chunk(5);
  r.enqueue(c);
  await clock.runUntil(c.ack.done, "the chunk");
  assertEquals(value("dropped_records"), 5);
  await r.close();

  const bare = runner({ write: () => Promise.reject(new PermanentError("bad")) });
  const d = chunk(4);
  bare.r.enqueue(d);
  await bare.clock.runUntil(d.ack.done, "the chunk");
  assertEquals(bare.value("dropped_records"), 4, "no dead-letter store: dropped, and counted");
  await bare.r.close();
});

Deno.test("OutputRunner.evict() takes a queued or retrying chunk back out, unsettled", async () => {
  let writes = 0;
  const write = () => (writes++, Promise.reject(new RetryableError("down")));
  const { r, value, clock } = runner({ write }, {
    retryLimit: Infinity,
    schedulerBase: 60,
    schedulerCap: 60,
  });
  const a = chunk(1);
  r.enqueue(a);
  // Written once at the first flush, now waiting a minute to retry.
  await step(clock, () => writes === 1 && value("retries") === 1, "the first write to fail");
  const taken = r.evict(a.ack);
  assertEquals(taken?.length, 1);
  assertEquals(a.ack.settled, false);
  assertEquals(r.outstanding, 0);
  assertEquals(r.evict(a.ack), undefined);
  r.abandon();
  await r.close();
});

Deno.test("OutputRunner.abandon() counts memory chunks as dropped, settling nothing", async () => {
  const persisted = new Set<Ack>();
  let release!: () => void;
  const { r, value, clock } = runner({
    write: () => new Promise<void>((_, rej) => (release = () => rej(new RetryableError("x")))),
  }, {
    workers: 1,
    isPersisted: (c: Chunk) => persisted.has(c.ack),
  });
  const mem = chunk(2, "a");
  const disk = chunk(3, "b");
  persisted.add(disk.ack);
  r.enqueue(mem);
  r.enqueue(disk);
  await step(clock, () => release !== undefined, "mem to be written"); // disk is queued behind it
  assertEquals(r.abandon(), 0, "nothing queued is memory-only");
  assert(!disk.ack.settled);
  release(); // the write in flight fails after the deadline: given up on, counted
  await within(r.close(), "close after abandon");
  assertEquals(value("dropped_records"), 2);
  assert(!mem.ack.settled, "its input does not commit past it");
  assert(!disk.ack.settled, "its file stays for the next start");
});

Deno.test("OutputRunner writes what is queued at the flush interval, in one batch", async () => {
  const written: number[] = [];
  const { r, clock } = runner({
    write: (c) => (written.push(c.records.length), Promise.resolve()),
  });
  const a = chunk(2);
  const b = chunk(3);
  r.enqueue(a);
  r.enqueue(b);
  clock.advance(9);
  await new Promise((resolve) => setTimeout(resolve, 0)); // the fake clock alone moves time
  assertEquals(written, [], "nothing before the first flush");
  await clock.runUntil(Promise.all([a.ack.done, b.ack.done]), "both chunks");
  assertEquals([written, clock.now()], [[5], 10]);
  await r.close();
});

Deno.test("OutputRunner retries only a PartialWriteError's failed records and dead-letters the refused", async () => {
  const rejections: Rejection[] = [];
  const writes: number[][] = [];
  const { r, value, clock } = runner({
    write: (c) => {
      const seen = (c.records as unknown as { body: { i: number } }[]).map((x) => x.body.i);
      writes.push(seen);
      if (writes.length === 1) {
        return Promise.reject(
          new PartialWriteError("3 of 6 failed", {
            retry: [1, 4, 4, 99],
            rejected: [
              { index: 2, reason: "mapper_parsing_exception", status: 400 },
              { index: 5, reason: "mapper_parsing_exception", status: 400 },
              { index: 1, reason: "ignored: also in retry, rejection wins" },
            ],
          }),
        );
      }
      return Promise.resolve();
    },
  }, { onReject: (x) => void rejections.push(x) });
  const c = chunk(6);
  r.enqueue(c);
  await clock.runUntil(c.ack.done, "the chunk");
  assertEquals(writes, [[0, 1, 2, 3, 4, 5], [4]]);
  assertEquals(
    rejections.map((x) => [x.reason, x.status, x.batch.chunk.records.length]).sort(),
    [["rejected: ignored: also in retry, rejection wins", undefined, 1], [
      "rejected: mapper_parsing_exception",
      400,
      2,
    ]].sort(),
  );
  assertEquals([value("proc_records"), value("retried_records"), value("errors")], [3, 1, 1]);
  assertEquals(r.outstanding, 0);
  await r.close();

  // Retries exhausted: only the still-failing records are dead-lettered.
  const left: Rejection[] = [];
  const p = runner({
    write: () => Promise.reject(new PartialWriteError("busy", { retry: [0], status: 429 })),
  }, { onReject: (x) => void left.push(x) });
  const d = chunk(3);
  p.r.enqueue(d);
  await p.clock.runUntil(d.ack.done, "the chunk");
  assertEquals(left.map((x) => [x.batch.chunk.records.length, x.status]), [[1, 429]]);
  assertEquals(p.value("proc_records"), 2 + 0 + 0);
  await p.r.close();
});

Deno.test("OutputRunner writes a PartialWriteError's unsent records again at once, not as a retry", async () => {
  const writes: number[] = [];
  const { r, value, clock } = runner({
    write: (c) => {
      writes.push(c.records.length);
      // The peer stops at the first record of every write: refuses it, never reads the rest.
      if (c.records.length > 1) {
        const unsent = Array.from({ length: c.records.length - 1 }, (_, i) => i + 1);
        return Promise.reject(
          new PartialWriteError("bad event", {
            rejected: [{ index: 0, reason: "invalid event" }],
            unsent,
          }),
        );
      }
      return Promise.reject(
        new PartialWriteError("bad event", {
          rejected: [{ index: 0, reason: "invalid event" }],
        }),
      );
    },
  }, { retryLimit: 0 });
  const c = chunk(4);
  r.enqueue(c);
  await clock.runUntil(c.ack.done, "the chunk");
  assertEquals(writes, [4, 3, 2, 1], "each write again at once, though retry_limit is 0");
  assertEquals([value("retries"), value("retries_failed")], [0, 0]);
  await r.close();
});
