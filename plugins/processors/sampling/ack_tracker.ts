/**
 * Acknowledgements for spans held across chunks. Each source chunk becomes a
 * {@link Source} counting its spans not yet accounted for; a span is accounted for
 * when it is dropped, or when the chunk it was emitted in has settled its own ack.
 * The source chunk's ack is released exactly once, when its count reaches zero, so
 * its input commits its position only after every one of its spans is done.
 */
import { Ack } from "../../../src/event/ack.ts";
import type { TraceChunk } from "../../../src/event/chunk.ts";

/** A source chunk's ack, stream and how many of its spans are still pending. */
export interface Source {
  readonly ack: Ack;
  readonly input: string;
  readonly tag: string;
  /** Estimated bytes per span, for buffer accounting and emitted chunk sizes. */
  readonly spanBytes: number;
  outstanding: number;
}

/** Bytes per span assumed when a chunk does not say its size. */
export const DEFAULT_SPAN_BYTES = 512;

/**
 * Starts tracking a chunk's spans; a chunk with no spans is released at once.
 *
 * @example
 * ```ts
 * import type { TraceChunk } from "../../../src/event/chunk.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { testInputContext } from "../../../src/testing/input_context.ts";
 * import { testSpan } from "../../../src/testing/spans.ts";
 *
 * const chunk = testInputContext().signalChunk<TraceChunk>("traces", [testSpan(), testSpan()]);
 * const src = holdSource(chunk);
 * settle(src); // one span dropped: the chunk still waits for the other
 * assertEquals([src.outstanding, chunk.ack.settled], [1, false]);
 * settle(src); // the last one releases chunk.ack
 * assertEquals([src.outstanding, chunk.ack.settled], [0, true]);
 * ```
 */
export function holdSource(chunk: TraceChunk): Source {
  const n = chunk.records.length;
  const per = n > 0 && chunk.bytes > 0 ? chunk.bytes / n : DEFAULT_SPAN_BYTES;
  const source: Source = {
    ack: chunk.ack,
    input: chunk.input,
    tag: chunk.tag,
    spanBytes: per,
    outstanding: n,
  };
  if (n === 0) chunk.ack.release();
  return source;
}

/** Accounts for `n` spans of `source`; the last one releases its ack. */
export function settle(source: Source, n = 1): void {
  if (n <= 0) return;
  if (n > source.outstanding) {
    throw new RangeError(
      `Cannot settle ${n} spans of a chunk from "${source.input}": only ${source.outstanding} pending`,
    );
  }
  source.outstanding -= n;
  if (source.outstanding === 0) source.ack.release();
}

/** Spans per source, run-length encoded (spans of one source usually come together). */
export class SourceTally {
  readonly #sources: Source[] = [];
  readonly #counts: number[] = [];

  /** Counts one span of `source`. */
  add(source: Source): void {
    const last = this.#sources.length - 1;
    if (last >= 0 && this.#sources[last] === source) this.#counts[last]++;
    else {
      this.#sources.push(source);
      this.#counts.push(1);
    }
  }

  /** Settles every counted span. */
  settleAll(): void {
    for (let i = 0; i < this.#sources.length; i++) settle(this.#sources[i], this.#counts[i]);
  }
}

/** A fresh ack for an emitted chunk; when it settles, so do the spans in `tally`. */
export function ackFor(tally: SourceTally): Ack {
  const ack = new Ack();
  ack.done.then(() => tally.settleAll());
  return ack;
}
