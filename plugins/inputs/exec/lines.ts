/**
 * Lines of a command's stdout as records: each `\n`-ended line (the `\n` removed, as
 * Fluent Bit's fgets loop chomps it) is `{"exec": line}`, or the parser's fields. A last
 * line without `\n` is held until the command ends.
 */
import type { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import type { Parser } from "../../../src/parsers/types.ts";

const NL = 10;

/** The longest line kept whole; a longer one is handed on in pieces of this size. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Where to cut `bytes` at most `max` bytes in, not inside a UTF-8 character. */
function utf8Cut(bytes: Uint8Array, max: number): number {
  let cut = Math.min(max, bytes.length);
  while (cut > 0 && cut < bytes.length && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return cut > 0 ? cut : Math.min(max, bytes.length);
}

/**
 * Cuts a byte stream into lines, carrying a partial last line across reads; a partial
 * line longer than `maxLine` bytes is handed on in pieces (counted in `cut`), so memory
 * stays bounded whatever the command writes.
 */
export class LineSplitter {
  #held: Uint8Array[] = [];
  #heldBytes = 0;
  #decoder = new TextDecoder();
  #maxLine: number;
  /** Pieces handed on because a line was longer than `maxLine`. */
  cut = 0;

  constructor(maxLine: number = MAX_LINE_BYTES) {
    this.#maxLine = maxLine;
  }

  /** The whole lines `data` completes, in order (and pieces of an overlong line). */
  push(data: Uint8Array): string[] {
    const last = data.lastIndexOf(NL);
    if (last < 0) {
      if (data.length > 0) {
        this.#held.push(data.slice());
        this.#heldBytes += data.length;
      }
      return this.#heldBytes > this.#maxLine ? this.#pieces() : [];
    }
    let head = data.subarray(0, last);
    if (this.#held.length > 0) head = join([...this.#held, head]);
    this.#held = last + 1 < data.length ? [data.slice(last + 1)] : [];
    this.#heldBytes = data.length - last - 1;
    return this.#decoder.decode(head).split("\n");
  }

  /** The held partial line, if any (at the command's end). */
  end(): string | undefined {
    if (this.#held.length === 0) return undefined;
    const text = this.#decoder.decode(join(this.#held));
    this.#held = [];
    this.#heldBytes = 0;
    return text;
  }

  #pieces(): string[] {
    let bytes = join(this.#held);
    const out: string[] = [];
    while (bytes.length > this.#maxLine) {
      const cut = utf8Cut(bytes, this.#maxLine);
      out.push(this.#decoder.decode(bytes.subarray(0, cut)));
      this.cut++;
      bytes = bytes.subarray(cut);
    }
    this.#held = bytes.length > 0 ? [bytes.slice()] : [];
    this.#heldBytes = bytes.length;
    return out;
  }
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Turns lines into records; counts the lines the parser did not match. */
export class LineRecords {
  #parser: Parser | undefined;
  #onUnmatched: (line: string) => void;

  constructor(parser: Parser | undefined, onUnmatched: (line: string) => void) {
    this.#parser = parser;
    this.#onUnmatched = onUnmatched;
  }

  /**
   * Appends the records of `lines`, read at `time`, to `out`.
   *
   * @example
   * ```ts
   * import { EventTime } from "../../../src/event/event_time.ts";
   * import type { LogRecord } from "../../../src/event/log_record.ts";
   * import { assertEquals } from "../../../src/testing/assert.ts";
   *
   * const out: LogRecord[] = [];
   * new LineRecords(undefined, () => {}).convert(["a", ""], new EventTime(1, 0), out);
   * assertEquals(out.map((r) => r.body), [{ exec: "a" }, { exec: "" }]);
   * ```
   */
  convert(lines: readonly string[], time: EventTime, out: LogRecord[]): void {
    const parser = this.#parser;
    for (const line of lines) {
      if (!parser) {
        out.push({ time, metadata: {}, body: { exec: line } });
        continue;
      }
      const result = parser.parse(line);
      if (result) out.push({ time: result.time ?? time, metadata: {}, body: result.body });
      else {
        this.#onUnmatched(line);
        out.push({ time, metadata: {}, body: { exec: line } });
      }
    }
  }
}
