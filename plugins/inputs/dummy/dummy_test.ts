import { defaultsOf, parseValue } from "../../../src/config/options.ts";
import { parseJsonMap } from "./template.ts";
import type { Chunk, LogChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import {
  assert,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../../../src/testing/assert.ts";
import { collectChunks, testInputContext } from "../../../src/testing/input_context.ts";
import { SkippingClock } from "../../../src/testing/fake_clock.ts";
import { createDummyInput, dummyPlan, MIN_TICK_MS } from "./dummy.ts";
import { plugin } from "./mod.ts";
import { type DummyOptions, dummyOptions } from "./options.ts";

/** Options over the defaults; `dummy` and `metadata` given as JSON text, as in a config. */
function options(
  overrides: Partial<Omit<DummyOptions, "dummy" | "metadata">> & {
    dummy?: string;
    metadata?: string;
  } = {},
): DummyOptions {
  const { dummy, metadata, ...rest } = overrides;
  return {
    ...defaultsOf(dummyOptions),
    ...rest,
    ...(dummy === undefined ? {} : { dummy: parseJsonMap("dummy", dummy) }),
    ...(metadata === undefined ? {} : { metadata: parseJsonMap("metadata", metadata) }),
  };
}

function records(chunks: Chunk[]): LogChunk["records"] {
  return chunks.flatMap((c) => (c as LogChunk).records);
}

/** Runs a dummy input on a fake clock until `untilMs` of fake time has passed. */
async function runFor(
  untilMs: number,
  overrides: Parameters<typeof options>[0],
  clock = new SkippingClock(),
) {
  const ctx = testInputContext({ name: "dummy.0" });
  const input = createDummyInput(options(overrides), ctx, { clock });
  const chunks: Chunk[] = [];
  for await (const chunk of input.chunks) {
    chunks.push(chunk);
    if (clock.now() >= untilMs) ctx.controller.abort();
  }
  return { chunks, clock, ctx };
}

Deno.test("dummy plugin declares Fluent Bit's keys with their documented defaults", () => {
  assertEquals(plugin.name, "dummy");
  assertEquals(plugin.kind, "input");
  assertEquals(defaultsOf(plugin.options), {
    dummy: { message: "dummy" },
    metadata: {},
    rate: 1,
    interval_sec: 0,
    interval_nsec: 0,
    copies: 1,
    samples: 0,
    fixed_timestamp: false,
    start_time_sec: -1,
    start_time_nsec: -1,
    flush_on_startup: false,
  });
});

Deno.test("dummy input stops after `samples` events of `copies` records each", async () => {
  const clock = new SkippingClock();
  const ctx = testInputContext({ name: "dummy.0" });
  const input = createDummyInput(options({ samples: 5, copies: 3 }), ctx, { clock });
  const chunks = await collectChunks(input.chunks);
  assertEquals(chunks.length, 5);
  for (const c of chunks) {
    assertEquals(c.tag, "dummy.0");
    assertEquals(c.signal, "logs");
    assertEquals(c.records.length, 3);
    assert(c.bytes > 0);
  }
  assertEquals(records(chunks).map((r) => r.body), Array(15).fill({ message: "dummy" }));
  // rate 1: the first event falls due after one second, the last after five.
  assertEquals(clock.now(), 5000);
});

Deno.test("dummy input emits `rate` events per second in a few chunks per tick", async () => {
  const { chunks, clock } = await runFor(1000, { rate: 1000 });
  assertEquals(records(chunks).length, 1000);
  assertEquals(chunks.length, 1000 / MIN_TICK_MS);
  assert(clock.sleeps.every((ms) => ms <= MIN_TICK_MS + 1e-6), "no sleep longer than a tick");
});

Deno.test("dummy input generates a million records per second without a timer per record", async () => {
  const started = performance.now();
  const { chunks, clock } = await runFor(1000, { rate: 1_000_000 });
  const elapsed = performance.now() - started;
  assertEquals(records(chunks).length, 1_000_000);
  assert(chunks.length <= 100, `expected few chunks, got ${chunks.length}`);
  assert(clock.sleeps.length <= 60, `expected one sleep per tick, got ${clock.sleeps.length}`);
  assert(elapsed < 5000, `a million records took ${elapsed} ms`);
});

Deno.test("dummy input uses interval_sec and interval_nsec instead of rate when set", async () => {
  const clock = new SkippingClock();
  const ctx = testInputContext();
  const input = createDummyInput(
    options({ rate: 100, interval_sec: 2, interval_nsec: 500_000_000, samples: 3 }),
    ctx,
    { clock },
  );
  const chunks = await collectChunks(input.chunks);
  assertEquals(records(chunks).length, 3);
  assertEquals(clock.now(), 7500);
});

Deno.test("dummyPlan() treats rate below 2 as one event per second, like Fluent Bit", () => {
  assertEquals(dummyPlan(options({ rate: 0 })).intervalMs, 1000);
  assertEquals(dummyPlan(options({ rate: 1 })).intervalMs, 1000);
  assertEquals(dummyPlan(options({ rate: 4 })).intervalMs, 250);
  assertEquals(dummyPlan(options({ rate: 4, interval_sec: -1, interval_nsec: 5 })).intervalMs, 250);
});

Deno.test("dummy input emits the first event at once with flush_on_startup", async () => {
  const clock = new SkippingClock();
  const ctx = testInputContext();
  const input = createDummyInput(options({ flush_on_startup: true, samples: 2 }), ctx, { clock });
  const iterator = input.chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  assertEquals(first.done, false);
  assertEquals(clock.now(), 0);
  await iterator.next();
  assertEquals(clock.now(), 1000);
  assertEquals((await iterator.next()).done, true);
});

Deno.test("dummy input at a high rate still emits the first event at once with flush_on_startup", async () => {
  const clock = new SkippingClock();
  const input = createDummyInput(
    options({ rate: 1000, flush_on_startup: true }),
    testInputContext(),
    {
      clock,
    },
  );
  const iterator = input.chunks[Symbol.asyncIterator]();
  assertEquals((await iterator.next()).value?.records.length, 1);
  assertEquals(clock.now(), 0);
  assertEquals((await iterator.next()).value?.records.length, MIN_TICK_MS);
  await iterator.return?.();
});

Deno.test("dummy input gives every record the start time with fixed_timestamp", async () => {
  const ctx = testInputContext();
  const input = createDummyInput(
    options({
      fixed_timestamp: true,
      start_time_sec: 1_700_000_000,
      start_time_nsec: 5,
      samples: 3,
    }),
    ctx,
    { clock: new SkippingClock() },
  );
  const times = records(await collectChunks(input.chunks)).map((r) => r.time);
  assertEquals(times, Array(3).fill(new EventTime(1_700_000_000, 5)));
});

Deno.test("dummy input with fixed_timestamp and no start time repeats the start time", async () => {
  const before = EventTime.now();
  const ctx = testInputContext();
  const input = createDummyInput(options({ fixed_timestamp: true, samples: 3 }), ctx, {
    clock: new SkippingClock(),
  });
  const times = records(await collectChunks(input.chunks)).map((r) => r.time);
  assert(times.every((t) => t.equals(times[0]!)));
  assert(times[0]!.compare(before) >= 0 && times[0]!.compare(EventTime.now()) <= 0);
});

Deno.test("dummy input advances record times from start_time_sec by elapsed time", async () => {
  const ctx = testInputContext();
  const input = createDummyInput(
    options({ start_time_sec: 1000, start_time_nsec: 999_999_999, rate: 2, samples: 3 }),
    ctx,
    { clock: new SkippingClock() },
  );
  const times = records(await collectChunks(input.chunks)).map((r) => r.time);
  assertEquals(times, [
    new EventTime(1001, 499_999_999),
    new EventTime(1001, 999_999_999),
    new EventTime(1002, 499_999_999),
  ]);
});

Deno.test("dummy input puts the metadata option in record.metadata", async () => {
  const ctx = testInputContext();
  const input = createDummyInput(
    options({ metadata: '{"source":"test","n":[1]}', dummy: '{"a":{"b":1}}', samples: 1 }),
    ctx,
    { clock: new SkippingClock() },
  );
  const [record] = records(await collectChunks(input.chunks));
  assert(record !== undefined);
  assertEquals(record.metadata, { source: "test", n: [1] });
  assertEquals(record.body, { a: { b: 1 } });
});

Deno.test("dummy input gives each record its own body and metadata objects", async () => {
  const ctx = testInputContext();
  const input = createDummyInput(
    options({ dummy: '{"a":{"list":[1,2]}}', metadata: '{"m":{}}', copies: 3, samples: 1 }),
    ctx,
    { clock: new SkippingClock() },
  );
  const [r1, r2, r3] = records(await collectChunks(input.chunks));
  assert(r1 !== undefined && r2 !== undefined && r3 !== undefined);
  (r1.body.a as { list: number[] }).list.push(3);
  (r1.metadata.m as Record<string, number>).x = 1;
  r2.body.added = true;
  assertEquals(r3.body, { a: { list: [1, 2] } });
  assertEquals(r3.metadata, { m: {} });
  assertEquals(r2.body, { a: { list: [1, 2] }, added: true });
});

Deno.test("dummy input keeps a __proto__ key as an ordinary field", async () => {
  const ctx = testInputContext();
  const input = createDummyInput(options({ dummy: '{"__proto__":{"x":1}}', samples: 1 }), ctx, {
    clock: new SkippingClock(),
  });
  const [record] = records(await collectChunks(input.chunks));
  assert(record !== undefined);
  assertEquals(Object.keys(record.body), ["__proto__"]);
  assertEquals(Object.getPrototypeOf(record.body), Object.prototype);
});

Deno.test("dummy input forgets events owed while the consumer did not pull", async () => {
  const clock = new SkippingClock();
  const ctx = testInputContext();
  const input = createDummyInput(options({ rate: 1 }), ctx, { clock });
  const iterator = input.chunks[Symbol.asyncIterator]();
  assertEquals((await iterator.next()).value?.records.length, 1);
  clock.advance(60_000); // the engine held the input paused for a minute
  assertEquals((await iterator.next()).value?.records.length, 1);
  assertEquals((await iterator.next()).value?.records.length, 1);
  await iterator.return?.();
});

Deno.test("dummy input ends promptly when the signal aborts during a wait", async () => {
  const ctx = testInputContext();
  const input = createDummyInput(options({ rate: 1 }), ctx); // real clock: next event in 1 s
  const iterator = input.chunks[Symbol.asyncIterator]();
  const started = performance.now();
  const pending = iterator.next();
  setTimeout(() => ctx.controller.abort(), 10);
  const result = await pending;
  assertEquals(result.done, true);
  assert(performance.now() - started < 500, "ended long before the next event was due");
});

Deno.test("dummy input ends at once when the signal is already aborted", async () => {
  const ctx = testInputContext();
  ctx.controller.abort();
  const input = createDummyInput(options({ flush_on_startup: true }), ctx);
  assertEquals(await collectChunks(input.chunks), []);
});

Deno.test("createDummyInput() throws a SyntaxError naming the key for bad JSON", () => {
  const ctx = testInputContext();
  const e = assertThrows(
    () => createDummyInput(options({ dummy: '{"message": dummy}' }), ctx),
    SyntaxError,
    `Cannot parse "dummy": expected a JSON object, got "{\\"message\\": dummy}"`,
  );
  assertStringIncludes(e.message, "JSON");
  assertThrows(
    () => createDummyInput(options({ metadata: "[1,2]" }), ctx),
    SyntaxError,
    `Cannot parse "metadata": expected a JSON object, got "[1,2]"`,
  );
  assertThrows(() => createDummyInput(options({ dummy: '"text"' }), ctx), SyntaxError, '"dummy"');
});

Deno.test("dummy option checks report bad JSON and copies below 1 at validation", () => {
  assertEquals(parseValue(dummyOptions.dummy, '{"ok":1}'), { ok: 1 });
  assertThrows(
    () => parseValue(dummyOptions.dummy, "{oops"),
    SyntaxError,
    "expected a JSON object",
  );
  assertStringIncludes(dummyOptions.copies.check?.(0) ?? "", "at least 1");
  assertThrows(() => createDummyInput(options({ copies: 0 }), testInputContext()), RangeError);
});
