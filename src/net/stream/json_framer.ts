/**
 * JSON stream framing (Fluent Bit's tcp input, `format json`): concatenated top-level values,
 * newlines optional (`{"a":1}{"b":2}` is two frames), objects and arrays found by their
 * brackets, strings and escapes respected. Text that does not start a `{` or `[` runs to the
 * end of its line, and a raw line break inside a string ends the frame (JSON strings cannot
 * hold one): either way the next line starts clean, and the parser counts the bad frame.
 * A value over the limit is skipped to the next line break.
 */
import { concatBytes, type Framer, type FramerHooks, SAMPLE_BYTES } from "./framing.ts";

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/**
 * The bytes the bracket scanner acts on (quote, backslash, line feed, braces, brackets):
 * every other byte is skipped after one table load (the per-byte branch chain was 22% of
 * a tcp input profile).
 */
const SPECIAL = new Uint8Array(256);
for (const c of [QUOTE, BACKSLASH, LF, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET]) {
  SPECIAL[c] = 1;
}

/**
 * Frames that are each one top-level JSON value (or one line of non-JSON text).
 *
 * @example
 * ```ts
 * const framer = jsonFramer({ maxBytes: 1024, onOversize() {} });
 * const out: Uint8Array[] = [];
 * framer.push(new TextEncoder().encode('{"a":1}{"b":2}\n[1,'), out); // two frames; "[1," waits
 * ```
 */
export function jsonFramer(hooks: FramerHooks): Framer {
  const { maxBytes } = hooks;
  let pending: Uint8Array = new Uint8Array(0);
  // Scan state of the frame at the start of `pending`, carried across reads.
  let scanned = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** 0: between frames; 1: in a bracketed value; 2: in a line of other text. */
  let mode = 0;
  let skipping = false;
  let skipSample: Uint8Array = new Uint8Array(0);
  let skipBytes = 0;

  function reset(): void {
    depth = 0;
    inString = false;
    escaped = false;
    mode = 0;
  }

  const framer: Framer = {
    held: () => pending,
    push(data, out) {
      framer.pushWithHeld!(concatBytes(pending, data), out);
    },
    pushWithHeld(buf, out) {
      let start = 0;
      let i = scanned;
      const len = buf.length;
      while (i < len) {
        if (skipping) {
          const nl = buf.indexOf(LF, i);
          if (nl < 0) {
            skipBytes += len - i;
            i = len;
            start = len;
            break;
          }
          hooks.onOversize(skipSample, skipBytes + nl - i);
          skipping = false;
          i = nl + 1;
          start = i;
          continue;
        }
        if (mode === 0) {
          const c = buf[i];
          if (c === LF || c === CR || c === SPACE || c === TAB) {
            i++;
            start = i;
            continue;
          }
          mode = c === OPEN_BRACE || c === OPEN_BRACKET ? 1 : 2;
        }
        if (mode === 2) {
          const nl = buf.indexOf(LF, i);
          if (nl < 0) {
            i = len;
            break;
          }
          let end = nl;
          if (end > start && buf[end - 1] === CR) end--;
          out.push(buf.subarray(start, end));
          reset();
          i = nl + 1;
          start = i;
          continue;
        }
        // mode 1, inside a bracketed value: one tight byte loop up to the limit, no calls.
        const stopAt = Math.min(len, start + maxBytes + 1);
        let closed = false;
        let broken = -1;
        if (escaped && i < stopAt) {
          escaped = false; // the byte after a backslash that ended the previous read
          i++;
        }
        while (i < stopAt) {
          const c = buf[i++]!;
          if (SPECIAL[c] === 0) continue; // most bytes: one table load
          if (inString) {
            if (c === QUOTE) inString = false;
            else if (c === BACKSLASH) {
              if (i < stopAt) i++;
              else escaped = true;
            } else if (c === LF) {
              broken = i - 1;
              break;
            }
          } else if (c === QUOTE) inString = true;
          else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
          else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            if (--depth === 0) {
              closed = true;
              break;
            }
          }
        }
        if (closed || broken >= 0) {
          // A broken string is a bad frame that ends at the line break: the next line is clean.
          out.push(buf.subarray(start, closed ? i : broken));
          reset();
          start = i;
        } else if (i - start > maxBytes) {
          skipping = true;
          skipSample = buf.slice(start, start + SAMPLE_BYTES);
          skipBytes = i - start;
          reset();
          start = i;
        }
      }
      if (mode === 2 && len - start > maxBytes) {
        skipping = true;
        skipSample = buf.slice(start, start + SAMPLE_BYTES);
        skipBytes = len - start;
        reset();
        start = len;
      }
      const rest = buf.subarray(start);
      pending = rest.length > 0 ? rest : new Uint8Array(0); // a view (see separatorFramer)
      scanned = pending.length;
    },
    end() {
      if (skipping) {
        hooks.onOversize(skipSample, skipBytes);
        skipping = false;
      }
      const tail = pending;
      pending = new Uint8Array(0);
      scanned = 0;
      reset();
      return tail.length > 0 ? tail : null;
    },
  };
  return framer;
}
