/**
 * Cutting one file's bytes into lines. Blocks are fed as read (the partial last line of
 * the previous block first), every complete line goes to a sink, and the partial last
 * line waits for the next block. LF and CRLF endings; over-long lines are kept, skipped
 * or truncated; a byte order mark at offset 0 and the NUL bytes copytruncate may leave
 * are skipped. Offsets are absolute byte offsets in the file.
 */
import type { Codec } from "./encoding.ts";

/** Where lines go. */
export interface LineSink {
  /**
   * One line without its newline or trailing CR. `start` is the offset of its first byte and
   * `end` the offset just past its newline; both are -1 when offsets are not tracked.
   */
  line(text: string, start: number, end: number): void;
}

/** What to do with a line longer than `maxLine` bytes. */
export type LongLines = "keep" | "skip" | "truncate";

/** How a file's lines are read. */
export interface LineReaderOptions {
  codec: Codec;
  /** Longest line in bytes that `longLines` leaves alone. */
  maxLine: number;
  longLines: LongLines;
  skipEmpty: boolean;
  /** Give each line its byte offsets (offset_key, multiline); the fast path skips that. */
  offsets: boolean;
  /** Called for each line skipped or truncated for its length. */
  onLong?: (what: "skipped" | "truncated") => void;
}

const EMPTY = new Uint8Array(0);
const CR = 13;

/** A long line being skipped until its newline: where it began, and the kept head. */
interface Discard {
  start: number;
  head: string | null;
}

/** Lines out of one file's bytes, with the partial last line held between reads. */
export class LineReader {
  readonly options: LineReaderOptions;
  #decoder: TextDecoder;
  #pending: Uint8Array = EMPTY;
  /** Offset of `#pending[0]`: the first byte not yet part of a complete line. */
  #pendingStart: number;
  #skipNul: boolean;
  #discard: Discard | null = null;

  constructor(options: LineReaderOptions, start: number, skipNul = start === 0) {
    this.options = options;
    this.#decoder = options.codec.decoder();
    this.#pendingStart = start;
    this.#skipNul = skipNul;
  }

  /** Offset up to which every line is complete: a position that is safe to resume from. */
  get completeEnd(): number {
    return this.#discard ? this.#discard.start : this.#pendingStart;
  }

  /** Offset of the next byte to read from the file. */
  get nextOffset(): number {
    return this.#pendingStart + this.#pending.length;
  }

  /** Bytes of the partial line held. */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  /** Copies the held partial line to the start of `buf` (it must fit); returns its length. */
  copyPending(buf: Uint8Array): number {
    buf.set(this.#pending, 0);
    return this.#pending.length;
  }

  /** Forgets everything held and continues at `offset` (after a truncation). */
  reset(offset: number, skipNul = true): void {
    this.#pending = EMPTY;
    this.#pendingStart = offset;
    this.#discard = null;
    this.#skipNul = skipNul;
  }

  /** Processes `block`: the held partial line (see `copyPending`) followed by new bytes. */
  feed(block: Uint8Array, sink: LineSink): void {
    const { codec, maxLine, longLines } = this.options;
    const width = codec.width;
    const base = this.#pendingStart;
    const to = block.length;
    let from = 0;
    if (base === 0) from = codec.bom(block);
    if (this.#skipNul) {
      while (from + width <= to && block[from] === 0 && (width === 1 || block[from + 1] === 0)) {
        from += width;
      }
      if (from < to) this.#skipNul = false;
    }
    if (this.#discard) {
      const nl = codec.next(block, from, to);
      if (nl < 0) {
        this.#pending = EMPTY;
        this.#pendingStart = base + to;
        return;
      }
      this.#endDiscard(base + nl + width, sink);
      from = nl + width;
    }
    const last = codec.last(block, from, to);
    if (last >= 0) {
      const end = last + width;
      const limited = longLines !== "keep" && maxLine > 0;
      if (this.options.offsets || limited) this.#scan(block, from, end, base, sink);
      else this.#split(this.#decoder.decode(block.subarray(from, end)), sink);
      from = end;
    }
    const rest = to - from;
    if (rest > maxLine && maxLine > 0 && longLines !== "keep") {
      this.#discard = {
        start: base + from,
        head: longLines === "truncate" ? this.#truncated(block.subarray(from, to)) : null,
      };
      this.#pending = EMPTY;
      this.#pendingStart = base + to;
    } else {
      this.#pending = rest > 0 ? block.slice(from, to) : EMPTY;
      this.#pendingStart = base + from;
    }
  }

  /** At end of input: the held partial line goes out as a line of its own. */
  finish(sink: LineSink): void {
    const track = this.options.offsets;
    if (this.#discard) {
      this.#endDiscard(this.#pendingStart, sink);
      return;
    }
    const bytes = this.#pending;
    if (bytes.length === 0) return;
    const start = this.#pendingStart;
    let text = this.#decoder.decode(bytes);
    if (text.charCodeAt(text.length - 1) === CR) text = text.slice(0, -1);
    this.#pending = EMPTY;
    this.#pendingStart = start + bytes.length;
    if (text.length > 0 || !this.options.skipEmpty) {
      sink.line(text, track ? start : -1, track ? start + bytes.length : -1);
    }
  }

  #endDiscard(end: number, sink: LineSink): void {
    const d = this.#discard!;
    this.#discard = null;
    if (d.head !== null) {
      sink.line(d.head, this.options.offsets ? d.start : -1, this.options.offsets ? end : -1);
      this.options.onLong?.("truncated");
    } else {
      this.options.onLong?.("skipped");
    }
  }

  /** The fast path: one decode per block, lines cut from the text. */
  #split(text: string, sink: LineSink): void {
    const skipEmpty = this.options.skipEmpty;
    const n = text.length;
    let p = 0;
    while (p < n) {
      let nl = text.indexOf("\n", p);
      if (nl < 0) nl = n;
      let e = nl;
      if (e > p && text.charCodeAt(e - 1) === CR) e--;
      if (e > p) sink.line(text.slice(p, e), -1, -1);
      else if (!skipEmpty) sink.line("", -1, -1);
      p = nl + 1;
    }
  }

  /** Lines with their byte offsets, and the length limit applied. */
  #scan(block: Uint8Array, from: number, end: number, base: number, sink: LineSink): void {
    const { codec, maxLine, longLines, skipEmpty } = this.options;
    const width = codec.width;
    const limited = longLines !== "keep" && maxLine > 0;
    const text = this.#decoder.decode(block.subarray(from, end));
    let p = 0;
    let b = from;
    while (b < end) {
      let nb = codec.next(block, b, end);
      if (nb < 0) nb = end - width;
      let nl = text.indexOf("\n", p);
      if (nl < 0) nl = text.length;
      let e = nl;
      let bytes = nb - b;
      if (e > p && text.charCodeAt(e - 1) === CR) {
        e--;
        bytes -= width;
      }
      const start = base + b;
      const stop = base + nb + width;
      if (limited && bytes > maxLine) {
        if (longLines === "truncate") {
          sink.line(this.#truncated(block.subarray(b, b + bytes)), start, stop);
          this.options.onLong?.("truncated");
        } else {
          this.options.onLong?.("skipped");
        }
      } else if (e > p || !skipEmpty) {
        sink.line(text.slice(p, e), start, stop);
      }
      b = nb + width;
      p = nl + 1;
    }
  }

  /** The first `maxLine` bytes of `bytes`, cut at a character boundary, as text. */
  #truncated(bytes: Uint8Array): string {
    const { codec, maxLine } = this.options;
    let n = Math.min(maxLine, bytes.length);
    if (codec.width === 2) {
      n &= ~1;
      if (n >= 2) {
        const [a = 0, b = 0] = bytes.subarray(n - 2, n);
        const unit = codec.label === "utf-16le" ? a | (b << 8) : (a << 8) | b;
        if (unit >= 0xd800 && unit <= 0xdbff) n -= 2;
      }
    } else if (codec.label === "utf-8") {
      while (n > 0 && n < bytes.length && (bytes[n]! & 0xc0) === 0x80) n--;
    }
    const text = this.#decoder.decode(bytes.subarray(0, n));
    return codec.label !== "utf-8" && text.endsWith("\uFFFD") ? text.slice(0, -1) : text;
  }
}
