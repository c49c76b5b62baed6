/**
 * Octet-counting framing (syslog over TCP, RFC 6587 §3.4.1): each frame is `LEN SP MSG`,
 * LEN in decimal. A frame over the limit is skipped by its declared length, so the stream
 * stays in step; a length that is not a number cannot be resynchronised and throws.
 */
import { concatBytes, type Framer, type FramerHooks, SAMPLE_BYTES } from "./framing.ts";

const SPACE = 32;
const LF = 10;
const CR = 13;
const ZERO = 48;
const NINE = 57;
/** Longest LEN accepted: ten digits covers any frame a 32-bit peer could send. */
const MAX_DIGITS = 10;

/**
 * Frames of the form `LEN SP MSG`; line ends between frames are ignored.
 *
 * @example
 * ```ts
 * const framer = octetCountingFramer({ maxBytes: 1024, onOversize() {} });
 * const out: Uint8Array[] = [];
 * framer.push(new TextEncoder().encode("5 hello3 abc"), out); // out: "hello", "abc"
 * ```
 */
export function octetCountingFramer(hooks: FramerHooks): Framer {
  let pending: Uint8Array = new Uint8Array(0);
  /** Bytes still to skip of an oversize frame. */
  let skipLeft = 0;

  return {
    push(data, out) {
      let buf = data;
      if (skipLeft > 0) {
        const n = Math.min(skipLeft, buf.length);
        skipLeft -= n;
        buf = buf.subarray(n);
        if (buf.length === 0) return;
      }
      buf = concatBytes(pending, buf);
      let at = 0;
      while (at < buf.length) {
        const c = buf[at];
        if (c === LF || c === CR) {
          at++;
          continue;
        }
        let p = at;
        let len = 0;
        while (p < buf.length && buf[p] >= ZERO && buf[p] <= NINE && p - at < MAX_DIGITS) {
          len = len * 10 + buf[p] - ZERO;
          p++;
        }
        if (p === buf.length) break; // the length goes on in the next read
        if (p === at || buf[p] !== SPACE) {
          const text = new TextDecoder().decode(buf.subarray(at, at + 40));
          throw new SyntaxError(
            `Cannot frame octet-counted message: expected "LEN SP MSG", got ${
              JSON.stringify(text)
            }`,
          );
        }
        const bodyStart = p + 1;
        if (len > hooks.maxBytes) {
          const have = Math.min(len, buf.length - bodyStart);
          hooks.onOversize(buf.subarray(bodyStart, bodyStart + Math.min(have, SAMPLE_BYTES)), len);
          skipLeft = len - have;
          at = bodyStart + have;
          continue;
        }
        if (bodyStart + len > buf.length) break; // the body goes on in the next read
        out.push(buf.subarray(bodyStart, bodyStart + len));
        at = bodyStart + len;
      }
      const rest = buf.subarray(at);
      pending = rest.length > 0 ? rest.slice() : new Uint8Array(0);
    },
    end() {
      pending = new Uint8Array(0);
      return null;
    },
  };
}
