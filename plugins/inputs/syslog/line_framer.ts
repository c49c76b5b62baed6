/**
 * Newline framing of Fluent Bit's syslog input: a message ends at `\n` or at a NUL byte,
 * a `\r` before the `\n` stays in the message, and empty messages are skipped. A message
 * longer than the limit is skipped to its end and reported once, so the connection goes on.
 */

/** What the framer reports while it cuts (the shape of src/net/stream's framer hooks). */
export interface LineFramerHooks {
  /** Largest message kept, in bytes (the terminator not counted). */
  maxBytes: number;
  /** A message over `maxBytes` was skipped; `sample` is its first bytes, `bytes` its size. */
  onOversize(sample: Uint8Array, bytes: number): void;
}

/** Cuts one connection's bytes into messages (the shape of src/net/stream's framers). */
export interface LineFramer {
  /** Appends to `out` the whole messages `data` completes (subarrays, not copies). */
  push(data: Uint8Array, out: Uint8Array[]): void;
  /** The partial message left at end of stream, or null when there is none. */
  end(): Uint8Array | null;
  /** The bytes held back for the next push (a partial message). */
  held(): Uint8Array;
  /** Like {@link push}, for `data` that starts with exactly the bytes {@link held} gave. */
  pushWithHeld(data: Uint8Array, out: Uint8Array[]): void;
}

const LF = 10;
const NUL = 0;
/** Bytes of a skipped message kept as its sample. */
const SAMPLE_BYTES = 200;
const EMPTY = new Uint8Array(0);

/**
 * A framer cutting at `\n` or NUL.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const framer = syslogLineFramer({ maxBytes: 1024, onOversize() {} });
 * const out: Uint8Array[] = [];
 * framer.push(new TextEncoder().encode("<13>a\n<13>b\0<13>c"), out);
 * assertEquals(out.map((m) => new TextDecoder().decode(m)), ["<13>a", "<13>b"]);
 * ```
 */
export function syslogLineFramer(hooks: LineFramerHooks): LineFramer {
  const { maxBytes } = hooks;
  let pending: Uint8Array = EMPTY;
  /** Bytes of the message being skipped so far; -1 when not skipping. */
  let skipped = -1;
  let skippedSample: Uint8Array = EMPTY;

  function endOfMessage(buf: Uint8Array, from: number, nul: number): number {
    const lf = buf.indexOf(LF, from);
    if (nul < 0) return lf;
    return lf < 0 || nul < lf ? nul : lf;
  }

  function skip(bytes: Uint8Array): void {
    if (skipped < 0) {
      skipped = 0;
      skippedSample = bytes.slice(0, SAMPLE_BYTES);
    }
    skipped += bytes.length;
  }

  function endSkip(): void {
    hooks.onOversize(skippedSample, skipped);
    skipped = -1;
    skippedSample = EMPTY;
  }

  const framer: LineFramer = {
    held: () => pending,
    push(data, out) {
      if (data.length === 0) return;
      let buf = data;
      if (pending.length > 0) {
        buf = new Uint8Array(pending.length + data.length);
        buf.set(pending, 0);
        buf.set(data, pending.length);
      }
      framer.pushWithHeld(buf, out);
    },
    pushWithHeld(buf, out) {
      if (buf.length === pending.length) return;
      let start = 0;
      // The next NUL, looked up again only once passed: one scan per read when there is none.
      let nul = buf.indexOf(NUL);
      let at = endOfMessage(buf, 0, nul);
      while (at >= 0) {
        if (skipped >= 0) {
          skip(buf.subarray(start, at));
          endSkip();
        } else if (at - start > maxBytes) {
          skip(buf.subarray(start, at));
          endSkip();
        } else if (at > start) {
          out.push(buf.subarray(start, at));
        }
        start = at + 1;
        if (nul >= 0 && nul < start) nul = buf.indexOf(NUL, start);
        at = endOfMessage(buf, start, nul);
      }
      const rest = buf.subarray(start);
      if (skipped >= 0 || rest.length > maxBytes) {
        skip(rest);
        pending = EMPTY;
      } else {
        // A view: the stream listener copies it in front of its next read (pushWithHeld).
        pending = rest.length > 0 ? rest : EMPTY;
      }
    },
    end() {
      if (skipped >= 0) {
        endSkip();
        return null;
      }
      const tail = pending;
      pending = EMPTY;
      return tail.length > 0 ? tail : null;
    },
  };
  return framer;
}
