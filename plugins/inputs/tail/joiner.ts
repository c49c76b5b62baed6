/**
 * Joiners hold lines back until a message is complete: `multiline.parser` (the multiline
 * library), `docker_mode` and the old `multiline` mode. Each knows which lines of a file
 * it still holds, so the file's committed offset never passes a line not yet sent.
 * Streams are files (their device:inode key).
 */
import type { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import type { MultilineAssembler } from "../../../src/multiline/mod.ts";

/**
 * Receives what a joiner completes: a record (to which path and offset keys are added), or
 * a text line to be turned into a record as any other line. `offset` is the offset_key value.
 */
export type Emit = (
  stream: string,
  item: LogRecord | string,
  offset: number,
  time: EventTime,
) => void;

/** A line-joining stage of the tail input. */
export interface Joiner {
  /** Takes one line of `stream`, from byte `start` to `end` (past its newline). */
  push(stream: string, text: string, start: number, end: number, time: EventTime, emit: Emit): void;
  /** Sends every message whose flush timeout has passed. */
  expire(emit: Emit): void;
  /** Sends everything `stream` holds and forgets it. */
  flush(stream: string, emit: Emit): void;
  /** Offset of the first line `stream` still holds, if any. */
  heldFrom(stream: string): number | undefined;
  /** When the next message times out, in `performance.now()` milliseconds. */
  nextDeadline(): number | undefined;
  /** Messages cut early at the multiline buffer limit, so far. */
  readonly truncated: number;
  /** Lines no multiline parser took, and the last of them (joiners with parsers only). */
  readonly unmatched?: { total: number; sample: string | undefined };
}

/** Lines held per stream: start offset to end offset, in the order pushed. */
class Held {
  #streams = new Map<string, Map<number, number>>();

  add(stream: string, start: number, end: number): void {
    let h = this.#streams.get(stream);
    if (!h) {
      h = new Map();
      this.#streams.set(stream, h);
    }
    h.set(start, end);
  }

  /** Releases lines by start offset; returns the largest end offset among them. */
  release(stream: string, starts: readonly number[]): number {
    const h = this.#streams.get(stream);
    let end = -1;
    if (!h) return end;
    for (const s of starts) {
      const e = h.get(s);
      if (e !== undefined && e > end) end = e;
      h.delete(s);
    }
    if (h.size === 0) this.#streams.delete(stream);
    return end;
  }

  first(stream: string): number | undefined {
    const h = this.#streams.get(stream);
    if (!h) return undefined;
    const it = h.keys().next();
    return it.done ? undefined : it.value;
  }

  drop(stream: string): void {
    this.#streams.delete(stream);
  }
}

/** `multiline.parser` through the multiline library's assembler (tokens are line starts). */
export class MultilineJoiner implements Joiner {
  #asm: MultilineAssembler<number>;
  #held = new Held();

  constructor(assembler: MultilineAssembler<number>) {
    this.#asm = assembler;
  }

  get truncated(): number {
    return this.#asm.truncatedTotal;
  }

  /** Lines no multiline parser took, and the last of them. */
  get unmatched(): { total: number; sample: string | undefined } {
    return { total: this.#asm.unmatchedTotal, sample: this.#asm.unmatchedSample };
  }

  push(
    stream: string,
    text: string,
    start: number,
    end: number,
    time: EventTime,
    emit: Emit,
  ): void {
    this.#held.add(stream, start, end);
    const out = this.#asm.push(stream, text, { time, token: start });
    for (const m of out) {
      const offset = this.#held.release(m.stream, m.tokens);
      emit(m.stream, m.record, offset, m.record.time);
    }
  }

  expire(emit: Emit): void {
    for (const m of this.#asm.flushExpired()) {
      emit(m.stream, m.record, this.#held.release(m.stream, m.tokens), m.record.time);
    }
  }

  flush(stream: string, emit: Emit): void {
    for (const m of this.#asm.flush(stream)) {
      emit(m.stream, m.record, this.#held.release(m.stream, m.tokens), m.record.time);
    }
    this.#held.drop(stream);
  }

  heldFrom(stream: string): number | undefined {
    return this.#held.first(stream);
  }

  nextDeadline(): number | undefined {
    return this.#asm.nextDeadline();
  }
}
