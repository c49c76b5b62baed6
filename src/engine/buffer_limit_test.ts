import { assertEquals } from "../testing/assert.ts";
import { Ack } from "../event/ack.ts";
import { BufferLimit } from "./buffer_limit.ts";
import type { LogChunk } from "../event/chunk.ts";
import { Logger, memorySink } from "./log.ts";
import { MetricsRegistry } from "./metrics.ts";

function chunk(bytes: number): LogChunk {
  return { signal: "logs", tag: "t", input: "i", records: [], bytes, ack: new Ack() };
}

Deno.test("BufferLimit pauses at the limit and resumes as soon as acks drain it", async () => {
  const metrics = new MetricsRegistry();
  const gauge = metrics.gauge("fluentbit_input_ingestion_paused", "paused");
  const limit = new BufferLimit({
    limit: 100,
    log: new Logger({ sink: memorySink() }),
    gauge,
    name: "in.0",
  });
  const a = chunk(60);
  const b = chunk(60);
  limit.track(a);
  assertEquals([limit.paused, limit.chunks, limit.inflight], [false, 1, 60]);
  limit.track(b);
  assertEquals([limit.paused, gauge.get({ name: "in.0" })], [true, 1]);
  let resumed = false;
  const waiting = limit.whenResumed().then(() => (resumed = true));
  a.ack.release();
  await waiting;
  assertEquals([resumed, limit.paused, limit.chunks, gauge.get({ name: "in.0" })], [
    true,
    false,
    1,
    0,
  ]);
  b.ack.release();
  await b.ack.done;
  await Promise.resolve();
  assertEquals([limit.chunks, limit.inflight], [0, 0]);
});

Deno.test("BufferLimit is paused while the memory limit is, and resumes when both allow", async () => {
  let memoryPaused = true;
  let release: () => void = () => {};
  let observed = 0;
  const memory = {
    get paused() {
      return memoryPaused;
    },
    observe: () => void observed++,
    whenResumed: () => new Promise<void>((r) => (release = r)),
  };
  const metrics = new MetricsRegistry();
  const limit = new BufferLimit({
    limit: 100,
    log: new Logger({ sink: memorySink() }),
    gauge: metrics.gauge("fluentbit_input_ingestion_paused", "paused"),
    name: "in.0",
    memory,
  });
  limit.track(chunk(10));
  assertEquals([limit.paused, observed], [true, 1]);
  let resumed = false;
  const waiting = limit.whenResumed().then(() => (resumed = true));
  await Promise.resolve();
  assertEquals(resumed, false);
  memoryPaused = false;
  release();
  await waiting;
  assertEquals([resumed, limit.paused], [true, false]);
});
