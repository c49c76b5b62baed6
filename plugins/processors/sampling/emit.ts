/**
 * Building the chunks the tail sampler passes on: kept spans grouped by the
 * stream (input and tag) of the chunk each came in, whole traces together, a new
 * chunk started past about 2 MB. Each chunk gets a new ack that settles its spans'
 * sources when it settles; spans keep their resource and scope objects as they came.
 */
import { CHUNK_MAX_BYTES, type TraceChunk } from "../../../src/event/chunk.ts";
import type { Span } from "../../../src/event/span.ts";
import { ackFor, type Source, SourceTally } from "./ack_tracker.ts";

interface Batch {
  input: string;
  tag: string;
  spans: Span[];
  tally: SourceTally;
  bytes: number;
}

/** Collects kept spans during one step and turns them into chunks. */
export class Emission {
  readonly #batches = new Map<string, Batch>();
  readonly #chunks: TraceChunk[] = [];
  readonly #maxBytes: number;
  #spans = 0;

  constructor(maxBytes = CHUNK_MAX_BYTES) {
    this.#maxBytes = maxBytes;
  }

  /** Spans added so far. */
  get spans(): number {
    return this.#spans;
  }

  /** Adds one span from `source`. */
  add(span: Span, source: Source): void {
    const key = source.input + "\u0000" + source.tag;
    let b = this.#batches.get(key);
    if (!b) {
      b = { input: source.input, tag: source.tag, spans: [], tally: new SourceTally(), bytes: 0 };
      this.#batches.set(key, b);
    }
    b.spans.push(span);
    b.tally.add(source);
    b.bytes += source.spanBytes;
    this.#spans++;
  }

  /** Adds a whole trace, then starts new chunks for the streams that grew past the limit. */
  addTrace(spans: readonly Span[], sources: readonly Source[]): void {
    if (sources.length !== spans.length) {
      throw new RangeError(
        `Cannot add a trace of ${spans.length} spans with ${sources.length} sources`,
      );
    }
    for (const [i, span] of spans.entries()) this.add(span, sources[i]!);
    for (const [key, b] of this.#batches) {
      if (b.bytes >= this.#maxBytes) {
        this.#chunks.push(seal(b));
        this.#batches.delete(key);
      }
    }
  }

  /** The chunks, none empty; the emission is spent afterwards. */
  chunks(): TraceChunk[] {
    for (const b of this.#batches.values()) if (b.spans.length > 0) this.#chunks.push(seal(b));
    this.#batches.clear();
    return this.#chunks;
  }
}

function seal(b: Batch): TraceChunk {
  return {
    signal: "traces",
    tag: b.tag,
    input: b.input,
    records: b.spans,
    bytes: Math.round(b.bytes),
    ack: ackFor(b.tally),
  };
}
