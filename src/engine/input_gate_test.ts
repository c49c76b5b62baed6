import { assertEquals } from "../testing/assert.ts";
import { Ack } from "../event/ack.ts";
import { BufferLimit } from "./buffer_limit.ts";
import type { BuiltInput } from "./built.ts";
import type { Chunk, LogChunk } from "../event/chunk.ts";
import { gateInput, inputCounters } from "./input_gate.ts";
import { Logger, memorySink } from "./log.ts";
import { MetricsRegistry } from "./metrics.ts";
import { until } from "../testing/until.ts";

function chunk(tag: string, bytes = 10): LogChunk {
  return { signal: "logs", tag, input: "in.0", records: [], bytes, ack: new Ack() };
}

function builtInput(
  chunks: (signal: AbortSignal) => AsyncIterable<Chunk>,
  limit: number,
): BuiltInput {
  const metrics = new MetricsRegistry();
  const abort = new AbortController();
  return {
    name: "in.0",
    instance: { chunks: chunks(abort.signal) },
    processors: (c) => c,
    limit: new BufferLimit({
      limit,
      log: new Logger({ sink: memorySink() }),
      gauge: metrics.gauge("fluentbit_input_ingestion_paused", "paused"),
      name: "in.0",
    }),
    abort,
    routable: true,
    storageType: "memory",
  };
}

/** `p`, or a rejection naming `what` if it has not settled in 5 s (a hang is a failure). */
async function bounded<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting for ${what}`)), 5000);
  });
  try {
    return await Promise.race([p, stuck]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("gateInput() pulls a stopped input until it returns, paused or not", async () => {
  let returned = false;
  async function* source(signal: AbortSignal): AsyncGenerator<Chunk> {
    try {
      yield chunk("a", 100); // over the limit: the input is paused from here on
      if (!signal.aborted) {
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
      }
      yield chunk("held.1"); // what a stopped input holds, in chunks of its own
      yield chunk("held.2");
    } finally {
      returned = true;
    }
  }
  const input = builtInput(source, 50);
  const counters = inputCounters(new MetricsRegistry(), [input]);
  const gate = gateInput(input, { counters, cutoff: () => false });
  assertEquals((await gate.next()).value?.tag, "a");
  assertEquals(input.limit.paused, true);
  const next = gate.next(); // waits for a resume that never comes, until the stop
  input.abort.abort();
  const tags = [(await bounded(next, "the pull after the stop")).value?.tag];
  for await (const c of gate) tags.push(c.tag);
  assertEquals(tags, ["held.1", "held.2"]);
  assertEquals(returned, true);
  assertEquals(counters.bytes.get({ name: "in.0" }), 120);
  assertEquals(input.limit.chunks, 3);
});

Deno.test("gateInput() stops pulling at the cutoff and leaves a late chunk untracked", async () => {
  let release: (() => void) | undefined;
  let returned = false;
  async function* source(): AsyncGenerator<Chunk> {
    try {
      yield chunk("first");
      await new Promise<void>((resolve) => (release = resolve));
      yield chunk("late");
      yield chunk("never");
    } finally {
      returned = true;
    }
  }
  const input = builtInput(source, 0);
  let cutoff = false;
  const gate = gateInput(input, {
    counters: inputCounters(new MetricsRegistry(), [input]),
    cutoff: () => cutoff,
  });
  assertEquals((await gate.next()).value?.tag, "first");
  const next = gate.next();
  const wake = await until(() => release, "the source to wait on its release", { interval: 1 });
  cutoff = true;
  wake();
  assertEquals((await next).done, true);
  assertEquals(returned, true);
  assertEquals(input.limit.chunks, 1);
});
