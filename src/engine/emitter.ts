/**
 * Emitter inputs (Fluent Bit's `in_emitter`): a filter such as rewrite_tag emits records
 * into one, and they enter the pipeline again from the start as that input's chunks. The
 * emitting chunk's ack is held until each emitted chunk settles, so its input commits
 * nothing early. Every emitted chunk remembers the emitters it came through (its lineage),
 * so a filter can tell a record it emitted itself coming back: a loop. The inputs end once
 * every ordinary input has ended and no emitter has anything left to pass on.
 */
import { Ack } from "../event/ack.ts";
import type { Chunk, LogChunk, MetricChunk } from "../event/chunk.ts";
import type { LogRecord } from "../event/log_record.ts";
import type { MetricRecord } from "../event/metric.ts";
import { type Emitter, type EmitterOptions, type EmitterService, OptionError } from "../plugin.ts";
import { estimateBytes } from "./input_context.ts";

/**
 * Every emitter of one pipeline, and the lineage of the chunks they emitted.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { logChunk } from "../testing/filter_context.ts";
 *
 * const hub = new EmitterHub();
 * const em = hub.open({ name: "emitter_for_rt", memBufLimit: 0, storageType: "memory" });
 * const from = logChunk([{ level: "error" }], "app");
 * em.emit(from, "alert", from.records);
 * from.ack.release(); // the pipeline's own hold: the emitted copy still holds it
 * const [out] = hub.emitters[0]!.drain();
 * assertEquals([out!.tag, out!.input, em.emitted(out!), from.ack.settled], [
 *   "alert",
 *   "emitter_for_rt",
 *   true,
 *   false,
 * ]);
 * out!.ack.release(); // delivered: the original settles too
 * await from.ack.done;
 * ```
 */
export class EmitterHub implements EmitterService {
  #taken: Set<string>;
  #emitters: EmitterInput[] = [];
  #lineage = new WeakMap<Ack, readonly string[]>();
  #closing = false;

  /** `inputNames`: the config's inputs, whose names an emitter may not take. */
  constructor(inputNames: readonly string[] = []) {
    this.#taken = new Set(inputNames);
  }

  /** The emitters opened so far, in order. */
  get emitters(): readonly EmitterInput[] {
    return this.#emitters;
  }

  /** A new emitter input; throws OptionError("emitter_name") when the name is taken. */
  open(options: EmitterOptions): Emitter {
    if (this.#taken.has(options.name)) {
      throw new OptionError("emitter_name", `emitter_name '${options.name}' already exists`);
    }
    this.#taken.add(options.name);
    const input = new EmitterInput(options, this);
    this.#emitters.push(input);
    return input;
  }

  /** Every ordinary input has ended: emitters end once nothing is left to pass on. */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    for (const e of this.#emitters) e.options.onClose?.();
    for (const e of this.#emitters) e.wake();
  }

  /** The emitters `ack`'s records came through. */
  lineageOf(ack: Ack): readonly string[] {
    return this.#lineage.get(ack) ?? [];
  }

  /** Records that `ack`'s chunk came through `path`. */
  setLineage(ack: Ack, path: readonly string[]): void {
    this.#lineage.set(ack, path);
  }

  /** True when `self` may end: closing, and every emitter idle with nothing queued. */
  mayEnd(self: EmitterInput): boolean {
    return this.#closing && this.#emitters.every((e) => e === self || e.idle);
  }

  /** An emitter ended: the others look again whether they may end too. */
  ended(): void {
    for (const e of this.#emitters) e.wake();
  }
}

/** One emitter input: a queue of emitted chunks, pulled by the engine as an input's. */
export class EmitterInput implements Emitter {
  readonly name: string;
  readonly options: EmitterOptions;
  #hub: EmitterHub;
  #queue: (LogChunk | MetricChunk)[] = [];
  #waiting = false;
  #done = false;
  #wake: (() => void) | undefined;

  constructor(options: EmitterOptions, hub: EmitterHub) {
    this.name = options.name;
    this.options = options;
    this.#hub = hub;
  }

  /** True when waiting for records with none queued, or ended. */
  get idle(): boolean {
    return this.#done || (this.#waiting && this.#queue.length === 0);
  }

  emit(from: Chunk, tag: string, records: LogRecord[]): boolean {
    if (this.#done || records.length === 0) return false;
    const share = from.records.length > 0 && from.bytes > 0
      ? Math.ceil(from.bytes * records.length / from.records.length)
      : estimateBytes(records);
    const chunk: LogChunk = {
      signal: "logs",
      tag,
      records,
      bytes: share,
      ack: new Ack(),
      input: this.name,
    };
    this.#enqueue(chunk, from);
    return true;
  }

  emitMetrics(from: Chunk | undefined, tag: string, records: MetricRecord[]): boolean {
    if (this.#done || records.length === 0) return false;
    const bytes = estimateBytes(records);
    const waiting = this.#queue.find((c) => c.signal === "metrics" && c.tag === tag);
    if (waiting) {
      // A newer cumulative snapshot replaces the one the pipeline has not taken yet: a paused
      // emitter holds one per tag, not one per emit. The chunk keeps both sources' acks.
      waiting.records = records;
      waiting.bytes = bytes;
      if (from) this.#hold(waiting, from);
      return true;
    }
    const chunk: MetricChunk = {
      signal: "metrics",
      tag,
      records,
      bytes,
      ack: new Ack(),
      input: this.name,
    };
    this.#enqueue(chunk, from);
    return true;
  }

  #hold(chunk: Chunk, from: Chunk): void {
    from.ack.retain();
    chunk.ack.done.then(() => from.ack.release());
  }

  #enqueue(chunk: LogChunk | MetricChunk, from: Chunk | undefined): void {
    if (from) this.#hold(chunk, from);
    const path = from ? this.#hub.lineageOf(from.ack) : [];
    this.#hub.setLineage(chunk.ack, [...path, this.name]);
    this.#queue.push(chunk);
    this.wake();
  }

  emitted(chunk: Chunk): boolean {
    return this.#hub.lineageOf(chunk.ack).includes(this.name);
  }

  /** Takes every queued chunk at once (tests; `C` names the signal the test emitted). */
  drain<C extends LogChunk | MetricChunk = LogChunk>(): C[] {
    return this.#queue.splice(0) as C[];
  }

  /** Wakes the pulling loop to look at its queue and the hub again. */
  wake(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** The emitted chunks, as the engine pulls an input's; ends as the hub says. */
  async *chunks(): AsyncGenerator<Chunk> {
    try {
      while (true) {
        const next = this.#queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (this.#hub.mayEnd(this)) return;
        this.#waiting = true;
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#waiting = false;
      }
    } finally {
      this.#done = true;
      this.#waiting = false;
      // Chunks left when the engine stopped pulling (past the stop timeout) stay unacked:
      // their originals are read again on the next start.
      this.#hub.ended();
    }
  }
}
