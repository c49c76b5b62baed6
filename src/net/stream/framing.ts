/**
 * Cutting a byte stream into frames: the shared contract, and separator framing
 * (newline, NUL or any byte sequence). A frame longer than the limit is skipped up to the
 * next separator and reported once per frame, so one bad line never costs the connection.
 */

/** What a framer reports while it cuts. */
export interface FramerHooks {
  /** Largest frame kept, in bytes (the separator not counted). */
  maxBytes: number;
  /** A frame over `maxBytes` was skipped; `sample` is its first bytes, `bytes` its size so far. */
  onOversize(sample: Uint8Array, bytes: number): void;
}

/** Cuts one connection's bytes into frames; throws SyntaxError when it cannot resynchronise. */
export interface Framer {
  /** Appends to `out` the whole frames that `data` completes (subarrays, never copied again). */
  push(data: Uint8Array, out: Uint8Array[]): void;
  /** The partial frame left at end of stream, or null when there is none; the framer starts over. */
  end(): Uint8Array | null;
  /**
   * The bytes held back for the next push (a partial frame). A reader that copies them in
   * front of its next read calls {@link pushWithHeld}, and the framer joins nothing.
   */
  held?(): Uint8Array;
  /** Like {@link push}, for `data` that starts with exactly the bytes {@link held} gave. */
  pushWithHeld?(data: Uint8Array, out: Uint8Array[]): void;
}

/** Bytes of an offending frame quoted in a log message. */
export const SAMPLE_BYTES = 200;

/** The first bytes of `frame`, for a log sample. */
export function sampleOf(frame: Uint8Array): Uint8Array {
  return frame.subarray(0, SAMPLE_BYTES);
}

/** `a` followed by `b` in one new array (or one of them when the other is empty). */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Index of `sep` in `buf` at or after `from`, or -1 (also for an empty `sep`). */
export function indexOfBytes(buf: Uint8Array, sep: Uint8Array, from: number): number {
  const first = sep[0];
  if (first === undefined) return -1;
  if (sep.length === 1) return buf.indexOf(first, from);
  let at = buf.indexOf(first, from);
  while (at >= 0 && at + sep.length <= buf.length) {
    let k = 1;
    while (k < sep.length && buf[at + k] === sep[k]) k++;
    if (k === sep.length) return at;
    at = buf.indexOf(first, at + 1);
  }
  return -1;
}

/**
 * Frames ended by `separator`; empty frames (two separators in a row) are dropped.
 *
 * @example
 * ```ts
 * const framer = separatorFramer(new Uint8Array([10]), { maxBytes: 1024, onOversize() {} });
 * const out: Uint8Array[] = [];
 * framer.push(new TextEncoder().encode("a\nb\npartial"), out); // out: "a", "b"
 * ```
 */
export function separatorFramer(separator: Uint8Array, hooks: FramerHooks): Framer {
  if (separator.length === 0) throw new RangeError("Cannot frame on an empty separator");
  const sepLen = separator.length;
  const { maxBytes } = hooks;
  let pending: Uint8Array = new Uint8Array(0);
  /** Bytes of the frame being skipped so far (-1 when not skipping). */
  let skipped = -1;
  let skippedSample: Uint8Array = new Uint8Array(0);

  function startSkip(frame: Uint8Array): void {
    skipped = frame.length;
    skippedSample = frame.slice(0, SAMPLE_BYTES);
  }

  function endSkip(extra: number): void {
    hooks.onOversize(skippedSample, skipped + extra);
    skipped = -1;
    skippedSample = new Uint8Array(0);
  }

  const framer: Framer = {
    held: () => pending,
    push(data, out) {
      if (data.length === 0) return;
      framer.pushWithHeld!(concatBytes(pending, data), out);
    },
    pushWithHeld(buf, out) {
      if (buf.length === pending.length) return;
      const scanFrom = Math.max(0, pending.length - sepLen + 1);
      let start = 0;
      let at = indexOfBytes(buf, separator, scanFrom);
      while (at >= 0) {
        if (skipped >= 0) {
          endSkip(at - start);
        } else if (at - start > maxBytes) {
          startSkip(buf.subarray(start, at));
          endSkip(0);
        } else if (at > start) {
          out.push(buf.subarray(start, at));
        }
        start = at + sepLen;
        at = indexOfBytes(buf, separator, start);
      }
      const rest = buf.subarray(start);
      if (skipped >= 0) {
        // Keep only what could begin a separator split across reads.
        const keep = Math.min(rest.length, sepLen - 1);
        skipped += rest.length - keep;
        pending = rest.slice(rest.length - keep);
      } else if (rest.length > maxBytes) {
        const keep = Math.min(rest.length, sepLen - 1);
        startSkip(rest.subarray(0, rest.length - keep));
        pending = rest.slice(rest.length - keep);
      } else {
        // A view: the next read copies it in front of its bytes (pushWithHeld), or push
        // joins it; either way the read buffer it points into is dropped then.
        pending = rest.length > 0 ? rest : new Uint8Array(0);
      }
    },
    end() {
      if (skipped >= 0) {
        endSkip(pending.length);
        pending = new Uint8Array(0);
        return null;
      }
      const tail = pending;
      pending = new Uint8Array(0);
      return tail.length > 0 ? tail : null;
    },
  };
  return framer;
}

/** Turns `\n`, `\r`, `\t`, `\0`, `\\` and `\xNN` escapes into bytes (Fluent Bit's `separator`). */
export function unescapeSeparator(raw: string): Uint8Array {
  let text = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== "\\" || i + 1 >= raw.length) {
      text += c;
      continue;
    }
    const n = raw[++i];
    if (n === "n") text += "\n";
    else if (n === "r") text += "\r";
    else if (n === "t") text += "\t";
    else if (n === "0") text += "\0";
    else if (n === "\\") text += "\\";
    else if (n === "x" && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
      text += String.fromCharCode(Number.parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else text += "\\" + n;
  }
  return new TextEncoder().encode(text);
}
