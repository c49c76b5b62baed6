/**
 * An input's chunks as a pipeline takes them (gated, counted, through the input's own
 * processors), in a form a hot reload can move: a pipeline `attach`es and reads until the
 * source ends or is `detach`ed; detaching ends that reading without ending the input, whose
 * pending pull is kept for the next pipeline to attach. So an input whose config did not
 * change keeps its files and sockets open across a reload.
 */
import type { Chunk } from "../event/chunk.ts";

/** One input's chunk stream, passed from pipeline to pipeline. */
export class InputSource {
  #it: AsyncIterator<Chunk>;
  #pending: Promise<IteratorResult<Chunk>> | undefined;
  #detach: (() => void) | undefined;
  #ended = false;

  /** A source over `chunks` (already gated and through the input's processors). */
  constructor(chunks: AsyncIterable<Chunk>) {
    this.#it = chunks[Symbol.asyncIterator]();
  }

  /** True once the input's chunks have ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * The chunks from now until the input ends or `detach` is called. One reader at a time.
   *
   * @example
   * ```ts
   * import { assertEquals } from "../testing/assert.ts";
   *
   * async function* numbers() {
   *   for (let i = 0; i < 4; i++) yield { records: [i] } as never;
   * }
   * const source = new InputSource(numbers());
   * const first: unknown[] = [];
   * for await (const c of source.attach()) {
   *   first.push(c);
   *   if (first.length === 2) source.detach();
   * }
   * const rest: unknown[] = [];
   * for await (const c of source.attach()) rest.push(c);
   * assertEquals([first.length, rest.length, source.ended], [2, 2, true]);
   * ```
   */
  async *attach(): AsyncGenerator<Chunk> {
    let detached = false;
    try {
      while (!detached && !this.#ended) {
        const pending = this.#pending ??= this.#it.next();
        // A wait of its own per pull: racing one long-lived "detached" promise would add a
        // reaction to it per chunk, each holding that chunk, for the life of the input.
        const r = await new Promise<IteratorResult<Chunk> | "detached">((resolve, reject) => {
          this.#detach = () => {
            detached = true;
            resolve("detached");
          };
          pending.then(resolve, reject);
        });
        if (r === "detached") return;
        this.#pending = undefined;
        if (r.done) {
          this.#ended = true;
          return;
        }
        yield r.value;
      }
    } finally {
      this.#detach = undefined;
    }
  }

  /** Ends the current reader's stream; the input keeps running for the next one. */
  detach(): void {
    this.#detach?.();
  }
}

/** An input's source and its stop switch, as a reload carries them to the next pipeline. */
export interface CarriedInput {
  source: InputSource;
  /** Set by the pipeline that stops it: past the stop timeout, pulling ends. */
  cutoff: { value: boolean };
}
