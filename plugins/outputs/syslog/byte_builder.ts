/**
 * A growable byte buffer for building one message at a time: text goes in as UTF-8,
 * binary values as they are, and the result can be cut at a byte count as Fluent Bit
 * cuts its messages.
 */

const encoder = new TextEncoder();

/** Appends UTF-8 text and bytes to one reused buffer. */
export class ByteBuilder {
  #buf: Uint8Array;
  #len = 0;

  /** A builder starting with room for `capacity` bytes. */
  constructor(capacity = 4096) {
    this.#buf = new Uint8Array(capacity);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#len;
  }

  /** Forgets the content, keeping the buffer. */
  reset(): void {
    this.#len = 0;
  }

  /** Appends `text` as UTF-8. */
  text(text: string): void {
    // Worst case three bytes per UTF-16 unit.
    this.#reserve(text.length * 3);
    this.#len += encoder.encodeInto(text, this.#buf.subarray(this.#len)).written;
  }

  /** Appends the first `max` bytes (all when omitted) of `text` or of its UTF-8 form. */
  append(text: string | Uint8Array, max = Infinity): void {
    if (typeof text === "string") {
      const start = this.#len;
      this.text(text);
      if (this.#len - start > max) this.#len = start + max;
      return;
    }
    const part = text.length > max ? text.subarray(0, max) : text;
    this.#reserve(part.length);
    this.#buf.set(part, this.#len);
    this.#len += part.length;
  }

  /** Appends one byte. */
  byte(b: number): void {
    this.#reserve(1);
    this.#buf[this.#len++] = b;
  }

  /** Replaces, from byte `from` on, every byte for which `keep` is false by `with_`. */
  replaceFrom(from: number, keep: (b: number) => boolean, with_: number): void {
    const buf = this.#buf;
    for (let i = from; i < this.#len; i++) if (!keep(buf[i]!)) buf[i] = with_;
  }

  /** Cuts the content to its first `n` bytes (no-op when shorter). */
  truncate(n: number): void {
    if (this.#len > n) this.#len = n;
  }

  /** A view of the content (valid until the next write or reset). */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}
