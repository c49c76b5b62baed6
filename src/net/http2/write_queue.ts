/**
 * The frames a connection sends, gathered per event-loop turn into one socket write: a
 * response's HEADERS, DATA and trailers leave together, in the order queued.
 */
import type { ByteStream } from "../stream/dial.ts";

/** Concatenates byte arrays. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Ordered, batched writes to one connection; a failed write calls `onError` once. */
export class WriteQueue {
  #io: ByteStream;
  #onError: (e: unknown) => void;
  #pending: Uint8Array[] = [];
  #flushing: Promise<void> | null = null;
  #stopped = false;

  constructor(io: ByteStream, onError: (e: unknown) => void) {
    this.#io = io;
    this.#onError = onError;
  }

  /** Queues `frame`; it is written after what was queued before it. */
  push(frame: Uint8Array): void {
    if (this.#stopped) return;
    this.#pending.push(frame);
    if (this.#flushing === null) this.#flushing = this.#flush();
  }

  /** Resolves once everything queued so far is written (or writing failed). */
  async drain(): Promise<void> {
    while (this.#flushing !== null) await this.#flushing;
  }

  /** Drops what is queued and refuses more. */
  stop(): void {
    this.#stopped = true;
    this.#pending = [];
  }

  async #flush(): Promise<void> {
    await Promise.resolve(); // gather what this turn queues
    try {
      while (this.#pending.length > 0 && !this.#stopped) {
        const out = concatBytes(this.#pending);
        this.#pending = [];
        let at = 0;
        while (at < out.length) at += await this.#io.write(out.subarray(at));
      }
    } catch (e) {
      this.#stopped = true;
      this.#onError(e);
    } finally {
      this.#flushing = null;
    }
  }
}
