/**
 * The dummy input's generator. Events fall due on a schedule driven by elapsed
 * monotonic time (one every `interval`); each wake-up emits every due event in one
 * chunk, so a high rate costs one timer per tick, not one per record.
 */
import {
  type Clock,
  type InputContext,
  type InputInstance,
  OptionError,
} from "../../../src/plugin.ts";
import { type Chunk, CHUNK_MAX_BYTES } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import type { DummyOptions } from "./options.ts";
import { compileTemplate } from "./template.ts";

/** Shortest time between wake-ups when events fall due faster than this, in ms. */
export const MIN_TICK_MS = 20;
/** Slack for float rounding when counting due events. */
const EPSILON = 1e-9;
/** Rough per-record overhead of the v2 event framing, for buffer accounting. */
const RECORD_OVERHEAD_BYTES = 16;

/** What the dummy schedule needs, derived from the options once. */
export interface DummyPlan {
  body: () => RecordMap;
  metadata: () => RecordMap;
  /** Milliseconds between events. */
  intervalMs: number;
  copies: number;
  /** Events to generate; 0 = no limit. */
  samples: number;
  fixedTimestamp: boolean;
  /** The configured base time (start_time_sec/nsec), when set. */
  startTime?: EventTime;
  flushOnStartup: boolean;
  /** Estimated bytes of one record. */
  recordBytes: number;
}

/** Validates the options and derives the plan; throws OptionError. */
export function dummyPlan(options: DummyOptions): DummyPlan {
  const body = options.dummy;
  const metadata = options.metadata;
  if (!(options.copies >= 1)) {
    throw new OptionError(
      "copies",
      `Cannot use "copies": expected at least 1, got ${options.copies}`,
    );
  }
  // As in Fluent Bit: a negative interval resets both parts; any positive one wins over rate.
  let sec = options.interval_sec, nsec = options.interval_nsec;
  if (sec < 0 || nsec < 0) sec = nsec = 0;
  const intervalMs = sec > 0 || nsec > 0
    ? sec * 1000 + nsec / 1e6
    : options.rate > 1
    ? 1000 / options.rate
    : 1000;
  let startTime: EventTime | undefined;
  if (options.start_time_sec >= 0 || options.start_time_nsec >= 0) {
    const ns = Math.max(0, options.start_time_nsec);
    startTime = new EventTime(
      Math.max(0, options.start_time_sec) + Math.floor(ns / 1e9),
      ns % 1e9,
    );
  }
  return {
    body: compileTemplate(body),
    metadata: compileTemplate(metadata),
    intervalMs,
    copies: options.copies,
    samples: Math.max(0, options.samples),
    fixedTimestamp: options.fixed_timestamp,
    startTime,
    flushOnStartup: options.flush_on_startup,
    recordBytes: JSON.stringify(body).length + JSON.stringify(metadata).length +
      RECORD_OVERHEAD_BYTES,
  };
}

/** `base` plus `ms` milliseconds, exact to the nanosecond for the base. */
function addMillis(base: EventTime, ms: number): EventTime {
  const whole = Math.floor(ms / 1000);
  const ns = base.nsec + Math.round((ms - whole * 1000) * 1e6);
  return new EventTime(base.sec + whole + Math.floor(ns / 1e9), ns % 1e9);
}

/**
 * Starts a dummy input: a generator of chunks that ends after `samples` events or
 * when `ctx.signal` aborts. `clock` is injectable so tests need not wait.
 *
 * @example
 * ```ts
 * import { defaultsOf } from "../../../src/config/options.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { SkippingClock } from "../../../src/testing/fake_clock.ts";
 * import { collectChunks, testInputContext } from "../../../src/testing/input_context.ts";
 * import { dummyOptions } from "./options.ts";
 *
 * const options = { ...defaultsOf(dummyOptions), rate: 10, samples: 3 };
 * const ctx = testInputContext({ name: "dummy.0" });
 * const input = createDummyInput(options, ctx, { clock: new SkippingClock() }); // no real waits
 * const chunks = await collectChunks(input.chunks);
 * const bodies = chunks.flatMap((c) => c.signal === "logs" ? c.records.map((r) => r.body) : []);
 * assertEquals(bodies, [{ message: "dummy" }, { message: "dummy" }, { message: "dummy" }]);
 * ```
 */
export function createDummyInput(
  options: DummyOptions,
  ctx: InputContext,
  settings: { clock?: Clock } = {},
): InputInstance {
  const plan = dummyPlan(options);
  const clock = settings.clock ?? ctx.clock;
  return { chunks: generate(plan, ctx, clock) };
}

async function* generate(plan: DummyPlan, ctx: InputContext, clock: Clock): AsyncGenerator<Chunk> {
  const { signal } = ctx;
  const interval = plan.intervalMs;
  const start = clock.now();
  // Record times are a wall-clock base plus monotonic elapsed time (Fluent Bit: start_time
  // plus the time since start, or the current time).
  const base = plan.startTime ?? EventTime.now();
  const maxRecords = Math.max(1, Math.floor(CHUNK_MAX_BYTES / plan.recordBytes));
  const maxEvents = Math.max(1, Math.floor(maxRecords / plan.copies));
  // Events owed beyond about a second's worth (after a pause, say) are forgotten, as
  // Fluent Bit's paused collector never generates them.
  const maxBacklog = Math.max(1, Math.ceil(1000 / interval));
  const offset = plan.flushOnStartup ? 1 : 0;
  // Fast schedules batch: a chunk is cut once per tick, or at once when a full one is owed.
  const batching = interval < MIN_TICK_MS;
  let lastCut = plan.flushOnStartup ? start - MIN_TICK_MS : start;
  let accounted = 0; // events generated or forgotten
  let generated = 0;
  while (!signal.aborted) {
    const now = clock.now();
    let due = Math.floor((now - start) / interval + EPSILON) + offset - accounted;
    if (due > maxBacklog) {
      accounted += due - maxBacklog;
      due = maxBacklog;
    }
    if (plan.samples > 0) due = Math.min(due, plan.samples - generated);
    if (due > 0 && (!batching || due >= maxEvents || now - lastCut >= MIN_TICK_MS - EPSILON)) {
      const events = Math.min(due, maxEvents);
      accounted += events;
      generated += events;
      lastCut = now;
      const time = plan.fixedTimestamp ? base : addMillis(base, now - start);
      const records = makeRecords(plan, events, time);
      yield ctx.chunk(records, { bytes: records.length * plan.recordBytes });
      if (plan.samples > 0 && generated >= plan.samples) return;
      continue;
    }
    const wake = batching ? lastCut + MIN_TICK_MS : start + (accounted - offset + 1) * interval;
    await clock.sleep(Math.max(1, wake - now), signal);
  }
}

function makeRecords(plan: DummyPlan, events: number, time: EventTime): LogRecord[] {
  const n = events * plan.copies;
  const records = new Array<LogRecord>(n);
  const { body, metadata } = plan;
  for (let i = 0; i < n; i++) records[i] = { time, metadata: metadata(), body: body() };
  return records;
}
