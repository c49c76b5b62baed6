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

  return {
    push(data, out) {
      const buf = concatBytes(pending, data);
      let start = 0;
      let i = scanned;
      const len = buf.length;
      const find = (byte: number, from: number): number => {
        const k = buf.indexOf(byte, from);
        return k < 0 ? len : k;
      };
      let nextQuote = -1;
      let nextBackslash = -1;
      let nextLf = -1;
      while (i < len) {
        const c = buf[i];
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
        // mode 1: inside a bracketed value
        if (escaped) {
          escaped = false;
          i++;
        } else if (inString) {
          // Jump to the next quote, backslash or line break: strings are most of the bytes.
          if (nextQuote < i) nextQuote = find(QUOTE, i);
          if (nextBackslash < i) nextBackslash = find(BACKSLASH, i);
          if (nextLf < i) nextLf = find(LF, i);
          const stop = Math.min(nextQuote, nextBackslash, nextLf);
          if (stop >= len) i = len;
          else if (stop === nextBackslash) {
            if (stop + 1 < len) i = stop + 2;
            else {
              escaped = true;
              i = len;
            }
          } else if (stop === nextQuote) {
            inString = false;
            i = stop + 1;
          } else {
            out.push(buf.subarray(start, stop)); // broken string: a bad frame, the next line is clean
            reset();
            i = stop + 1;
            start = i;
            continue;
          }
        } else {
          if (c === QUOTE) inString = true;
          else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
          else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            depth--;
            if (depth === 0) {
              out.push(buf.subarray(start, i + 1));
              reset();
              i++;
              start = i;
              continue;
            }
          }
          i++;
        }
        if (mode !== 0 && i - start > maxBytes) {
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
      pending = rest.length > 0 ? rest.slice() : new Uint8Array(0);
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
}
