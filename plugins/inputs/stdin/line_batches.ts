/**
 * Cutting a byte stream into batches of whole lines: each batch ends at a `\n`, holds at
 * most about `maxBytes` (a longer single line is one batch of its own), and the bytes
 * after the last `\n` wait for the next read. Newlines are found in the bytes, so batch
 * sizes are exact and multi-byte characters are never split.
 */

const NEWLINE = 10;

/** Splits reads into whole-line batches, carrying a partial last line across reads. */
export class LineBatcher {
  readonly maxBytes: number;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes of the partial line held for the next read. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** The whole-line batches that `data` completes, in order (none when it holds no `\n`). */
  push(data: Uint8Array): Uint8Array[] {
    const last = data.lastIndexOf(NEWLINE);
    if (last < 0) {
      if (data.length > 0) {
        this.#pending.push(data);
        this.#pendingBytes += data.length;
      }
      return [];
    }
    const head = data.subarray(0, last + 1);
    const whole = this.#pendingBytes === 0 ? head : this.#joinPending(head);
    const rest = data.subarray(last + 1);
    this.#pending = rest.length > 0 ? [rest] : [];
    this.#pendingBytes = rest.length;
    return this.#split(whole);
  }

  /** The partial last line at end of input (null when there is none). */
  end(): Uint8Array | null {
    if (this.#pendingBytes === 0) return null;
    const tail = this.#joinPending(new Uint8Array(0));
    this.#pending = [];
    this.#pendingBytes = 0;
    return tail;
  }

  #joinPending(head: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.#pendingBytes + head.length);
    let at = 0;
    for (const piece of this.#pending) {
      out.set(piece, at);
      at += piece.length;
    }
    out.set(head, at);
    return out;
  }

  #split(whole: Uint8Array): Uint8Array[] {
    if (whole.length <= this.maxBytes) return [whole];
    const batches: Uint8Array[] = [];
    let start = 0;
    while (start < whole.length) {
      let end = whole.length;
      if (end - start > this.maxBytes) {
        end = whole.lastIndexOf(NEWLINE, start + this.maxBytes - 1) + 1;
        // One line longer than maxBytes: it goes whole, as its own batch.
        if (end <= start) end = whole.indexOf(NEWLINE, start + this.maxBytes) + 1;
      }
      batches.push(whole.subarray(start, end));
      start = end;
    }
    return batches;
  }
}
