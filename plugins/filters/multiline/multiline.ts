/**
 * The buffered multiline stage: records are held per stream (input and tag) until
 * their message is complete or times out, racing the next upstream chunk against
 * the flush timer. Acks are never lost: a source chunk settles only after every one
 * of its records went out in a chunk whose own ack settled.
 */
import {
  type Clock,
  nextOrTimer,
  OptionError,
  type PluginContext,
  realClock,
  type Stage,
  TIMER,
  type TransformInstance,
} from "../../../src/plugin.ts";
import { Ack } from "../../../src/event/ack.ts";
import { withRecords } from "../../../src/event/chunk.ts";
import type { MultilineAssembler } from "../../../src/multiline/mod.ts";
import type { MultilineOptions } from "./options.ts";
import type { Joined, Joiner } from "./joiner.ts";
import { PartialJoiner } from "./partial.ts";
import type { Chunk, LogChunk } from "../../../src/event/chunk.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";

/** A source chunk's ack and how many of its records have not yet been delivered onward. */
export interface Source {
  ack: Ack;
  outstanding: number;
}

/** Options for {@link multilineStage}. */
export interface MultilineStageOptions {
  clock?: Clock;
  /** Called per emitted chunk with its record count and how many were truncated. */
  onEmit?(records: number, truncated: number): void;
}

const NONE: readonly never[] = Object.freeze([]);

/** The stream key of a chunk: records of one input and tag are joined together. */
export function streamOf(chunk: Chunk): string {
  return `${chunk.input}\u0000${chunk.tag}`;
}

/**
 * A stage joining log records with `joiner`. Non-log chunks pass through. When the
 * upstream ends, everything held is flushed.
 *
 * @example
 * ```ts
 * import type { Chunk } from "../../../src/event/chunk.ts";
 * import { logRecord } from "../../../src/event/log_record.ts";
 * import { buildMultilineRegistry } from "../../../src/multiline/mod.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { testInputContext } from "../../../src/testing/input_context.ts";
 *
 * const ctx = testInputContext({ name: "tail.0", tag: "app" });
 * const lines = ["java.lang.Error: boom", "    at App.main(App.java:5)", "INFO next"];
 * const source = ctx.chunk(lines.map((log) => logRecord({ log })));
 * const registry = buildMultilineRegistry([]);
 * const stage = multilineStage(registry.assembler<Source>(["java"], { keyContent: "log" }));
 * async function* upstream(): AsyncGenerator<Chunk> {
 *   yield source;
 * }
 * const logs: unknown[] = [];
 * for await (const chunk of stage(upstream())) {
 *   if (chunk.signal === "logs") logs.push(...chunk.records.map((r) => r.body.log));
 *   chunk.ack.release(); // what the engine does once every output finished with it
 * }
 * assertEquals(logs, ["java.lang.Error: boom\n    at App.main(App.java:5)", "INFO next"]);
 * await source.ack.done; // the source settles once the joined chunks did
 * ```
 */
export function multilineStage(joiner: Joiner<Source>, options: MultilineStageOptions = {}): Stage {
  const clock = options.clock ?? realClock;

  function ingest(chunk: LogChunk): readonly Joined<Source>[] {
    const n = chunk.records.length;
    if (n === 0) {
      chunk.ack.release();
      return NONE;
    }
    const push = { token: { ack: chunk.ack, outstanding: n } };
    const stream = streamOf(chunk);
    const out: Joined<Source>[] = [];
    for (let i = 0; i < n; i++) {
      const done = joiner.push(stream, chunk.records[i], push);
      for (let j = 0; j < done.length; j++) out.push(done[j]);
    }
    return out;
  }

  function* emit(joined: readonly Joined<Source>[]): Generator<LogChunk> {
    if (joined.length === 0) return;
    const byStream = new Map<string, Joined<Source>[]>();
    for (const j of joined) {
      const list = byStream.get(j.stream);
      if (list) list.push(j);
      else byStream.set(j.stream, [j]);
    }
    for (const [stream, list] of byStream) yield outChunk(stream, list, options);
  }

  return async function* multiline(chunks: AsyncIterable<Chunk>): AsyncIterable<Chunk> {
    const it = chunks[Symbol.asyncIterator]();
    let next: Promise<IteratorResult<Chunk>> | undefined;
    let ended = false;
    try {
      while (true) {
        next ??= it.next();
        const result = await nextOrTimer(next, joiner.nextDeadline(), clock);
        if (result === TIMER) {
          yield* emit(joiner.flushExpired());
          continue;
        }
        next = undefined;
        if (result.done) break;
        const chunk = result.value;
        if (chunk.signal !== "logs") {
          yield chunk;
          continue;
        }
        yield* emit(ingest(chunk));
      }
      ended = true;
      yield* emit(joiner.flush());
    } finally {
      if (!ended) {
        // Stopped early: held records stay unacknowledged, so their input re-reads them.
        next?.catch(() => {});
        it.return?.()?.catch(() => {});
      }
    }
  };
}

/** A chunk of joined records with a new ack; when it settles, so do its sources' records. */
function outChunk(
  stream: string,
  list: Joined<Source>[],
  options: MultilineStageOptions,
): LogChunk {
  const cut = stream.indexOf("\u0000");
  const records = new Array<LogRecord>(list.length);
  let bytes = 0;
  let truncated = 0;
  for (let i = 0; i < list.length; i++) {
    const r = list[i].record;
    records[i] = r;
    bytes += approxBytes(r);
    if (list[i].truncated) truncated++;
  }
  const ack = new Ack();
  ack.done.then(() => {
    for (const j of list) {
      for (const s of j.tokens) if (--s.outstanding === 0) s.ack.release();
    }
  });
  options.onEmit?.(records.length, truncated);
  return {
    signal: "logs",
    tag: stream.slice(cut + 1),
    input: stream.slice(0, cut),
    records,
    bytes,
    ack,
  };
}

/** A cheap size estimate of a record for buffer accounting. */
function approxBytes(r: LogRecord): number {
  let n = 16;
  for (const k in r.body) {
    const v = r.body[k];
    n += k.length + (typeof v === "string" ? v.length : 8);
  }
  return n;
}

/** Joins within one chunk only (`buffer off`): nothing is held between chunks. */
function joinChunk(asm: MultilineAssembler, chunk: Chunk, onTruncated: (n: number) => void): Chunk {
  if (chunk.signal !== "logs") return chunk;
  const out: LogRecord[] = [];
  let truncated = 0;
  for (const r of chunk.records) {
    for (const m of asm.push("chunk", r)) {
      out.push(m.record);
      if (m.truncated) truncated++;
    }
  }
  for (const m of asm.flush("chunk")) {
    out.push(m.record);
    if (m.truncated) truncated++;
  }
  if (truncated > 0) onTruncated(truncated);
  return withRecords(chunk, out);
}

/** The multiline step for parsed `values`: a holding stage, or a per-chunk join (`buffer off`). */
export function createMultiline(values: MultilineOptions, ctx: PluginContext): TransformInstance {
  const keyContent = values["multiline.key_content"];
  const flushMs = values.flush_ms;
  const labels = { name: ctx.name };
  const emitted = ctx.metrics.counter(
    "fluentbit_filter_emit_records_total",
    "Total number of emitted records",
  );
  const truncated = ctx.metrics.counter(
    "fluentbit_filter_emit_truncated_total",
    "Total number of truncated occurence of multiline",
  );
  truncated.touch(labels);
  const onEmit = (records: number, cut: number) => {
    emitted.inc(labels, records);
    if (cut > 0) truncated.inc(labels, cut);
  };
  if (values.mode === "partial_message") {
    if (!values.buffer) ctx.log.warn('mode partial_message always buffers; "buffer off" ignored');
    emitted.touch(labels);
    const joiner = new PartialJoiner<Source>(keyContent, { flushMs, now: () => ctx.clock.now() });
    return { stage: multilineStage(joiner, { onEmit, clock: ctx.clock }) };
  }
  const names = values["multiline.parser"];
  if (names.length === 0) {
    throw new OptionError(
      "multiline.parser",
      'Cannot use the multiline filter: mode parser needs "multiline.parser", e.g. java',
    );
  }
  const registry = ctx.multiline;
  if (!values.buffer) {
    const asm = registry.assembler(names, { keyContent, flushMs: 0 });
    return { process: (chunk) => joinChunk(asm, chunk, (n) => truncated.inc(labels, n)) };
  }
  emitted.touch(labels);
  const asm = registry.assembler<Source>(names, {
    keyContent,
    flushMs,
    now: () => ctx.clock.now(),
  });
  return { stage: multilineStage(asm, { onEmit, clock: ctx.clock }) };
}
