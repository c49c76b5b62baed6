/**
 * Cuts a byte stream into whole msgpack values (forward messages, the tcp input's `format
 * msgpack`) in one growable buffer: the socket reads straight into its free space, a partial
 * value is scanned once (the scan resumes where it stopped), and a value that declares more
 * than `maxFrameBytes` is refused from its header, before its bytes arrive. Unlike a
 * separator stream, a value over the limit gives no point to resume at: the stream ends.
 */
import { type Framer, type FramerHooks, SAMPLE_BYTES } from "./framing.ts";
import { type ScanState, scanValue } from "./msgpack_scan.ts";

/**
 * A msgpack stream framer.
 *
 * @example
 * ```ts
 * const f = new MsgpackFramer({ maxFrameBytes: 1 << 20 });
 * const space = f.space(3);
 * space.set([0x92, 0x01, 0x02]);
 * f.commit(3);
 * f.next(); // Uint8Array [0x92, 0x01, 0x02]
 * ```
 */
export class MsgpackFramer {
  #buf: Uint8Array;
  #start = 0;
  #end = 0;
  #scan: ScanState = { pos: 0, need: 1 };
  #max: number;

  /** A framer refusing values over `maxFrameBytes`; `initialBytes` sizes the buffer. */
  constructor(options: { maxFrameBytes: number; initialBytes?: number }) {
    this.#max = options.maxFrameBytes;
    this.#buf = new Uint8Array(Math.min(options.initialBytes ?? 65_536, options.maxFrameBytes + 1));
  }

  /** Bytes received and not yet cut into a frame. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  #tooLarge(): RangeError {
    return new RangeError(
      `Cannot read msgpack stream: incoming data exceed limit (${this.#max} bytes)`,
    );
  }

  /** The first bytes of the value being read (for a log sample). */
  head(n: number): Uint8Array {
    return this.#buf.slice(this.#start, Math.min(this.#end, this.#start + n));
  }

  /** Free space of at least `min` bytes to read into (then call {@link commit}). */
  space(min: number): Uint8Array {
    if (this.#buf.length - this.#end < min) {
      const used = this.#end - this.#start;
      if (this.#start > 0 && this.#buf.length - used >= min) {
        this.#buf.copyWithin(0, this.#start, this.#end);
      } else {
        let size = this.#buf.length * 2;
        while (size - used < min) size *= 2;
        const next = new Uint8Array(size);
        next.set(this.#buf.subarray(this.#start, this.#end));
        this.#buf = next;
      }
      this.#scan.pos -= this.#start;
      this.#end = used;
      this.#start = 0;
    }
    return this.#buf.subarray(this.#end);
  }

  /** Records that `n` bytes were read into the space. */
  commit(n: number): void {
    this.#end += n;
  }

  /**
   * The next whole value (a copy), or null until more bytes arrive. Throws RangeError when
   * a value exceeds the limit, SyntaxError on a never-used type byte; the stream cannot be
   * resumed after either.
   */
  next(): Uint8Array | null {
    if (this.#start === this.#end) return null;
    const view = this.#buf.subarray(0, this.#end);
    const limit = this.#start + this.#max;
    let complete: boolean;
    try {
      complete = scanValue(view, this.#scan, limit);
    } catch (e) {
      if (e instanceof RangeError) throw this.#tooLarge();
      throw e;
    }
    if (!complete) {
      if (this.#end - this.#start > this.#max) throw this.#tooLarge();
      return null;
    }
    const frame = this.#buf.slice(this.#start, this.#scan.pos);
    this.#start = this.#scan.pos;
    this.#scan = { pos: this.#start, need: 1 };
    if (this.#start === this.#end) {
      this.#start = 0;
      this.#end = 0;
      this.#scan.pos = 0;
    }
    return frame;
  }
}

/**
 * A {@link Framer} of whole msgpack values (still encoded) for a stream listener; a value over
 * `hooks.maxBytes` is reported to `onOversize` and ends the stream with a RangeError.
 *
 * @example
 * ```ts
 * const framer = msgpackFramer({ maxBytes: 1 << 20, onOversize() {} });
 * const out: Uint8Array[] = [];
 * framer.push(new Uint8Array([0x01, 0x92, 0x01]), out); // out: [0x01]; [0x92, 0x01] waits
 * ```
 */
export function msgpackFramer(hooks: FramerHooks): Framer {
  const framer = new MsgpackFramer({ maxFrameBytes: hooks.maxBytes, initialBytes: 4096 });
  return {
    push(data, out) {
      framer.space(data.length).set(data);
      framer.commit(data.length);
      try {
        for (let frame = framer.next(); frame; frame = framer.next()) out.push(frame);
      } catch (e) {
        if (e instanceof RangeError) hooks.onOversize(framer.head(SAMPLE_BYTES), framer.buffered);
        throw e;
      }
    },
    end() {
      return null;
    },
  };
}
