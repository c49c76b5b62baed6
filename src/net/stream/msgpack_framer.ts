/**
 * Msgpack stream framing (the forward protocol): concatenated msgpack values, each cut out
 * whole once its last byte has arrived, without decoding it. A value is measured by walking
 * its headers, so a frame costs one pass and nothing is allocated until it is complete.
 * Unlike a separator stream, a value over the limit gives no point to resume at: it throws.
 */
import { concatBytes, type Framer, type FramerHooks, sampleOf } from "./framing.ts";

/** The big-endian unsigned integer in the `size` bytes after the type byte at `pos`. */
function header(b: Uint8Array, pos: number, size: number): number {
  let n = 0;
  for (let i = 1; i <= size; i++) n = n * 256 + b[pos + i];
  return n;
}

/**
 * The index just past the msgpack value starting at `pos`, or -1 when `b` ends before it.
 * Throws SyntaxError on the never-used type byte 0xc1.
 *
 * @example
 * ```ts
 * msgpackValueEnd(new Uint8Array([0x92, 0x01, 0x02, 0xc0]), 0); // 3
 * ```
 */
export function msgpackValueEnd(b: Uint8Array, pos: number): number {
  let need = 1;
  const len = b.length;
  while (need > 0) {
    if (pos >= len) return -1;
    const t = b[pos];
    need--;
    if (t <= 0x7f || t >= 0xe0) pos += 1;
    else if (t <= 0x8f) {
      need += (t & 0x0f) * 2;
      pos += 1;
    } else if (t <= 0x9f) {
      need += t & 0x0f;
      pos += 1;
    } else if (t <= 0xbf) pos += 1 + (t & 0x1f);
    else {
      let skip: number;
      switch (t) {
        case 0xc0:
        case 0xc2:
        case 0xc3:
          skip = 1;
          break;
        case 0xc4:
        case 0xd9:
          if (pos + 2 > len) return -1;
          skip = 2 + header(b, pos, 1);
          break;
        case 0xc5:
        case 0xda:
          if (pos + 3 > len) return -1;
          skip = 3 + header(b, pos, 2);
          break;
        case 0xc6:
        case 0xdb:
          if (pos + 5 > len) return -1;
          skip = 5 + header(b, pos, 4);
          break;
        case 0xc7:
          if (pos + 2 > len) return -1;
          skip = 3 + header(b, pos, 1);
          break;
        case 0xc8:
          if (pos + 3 > len) return -1;
          skip = 4 + header(b, pos, 2);
          break;
        case 0xc9:
          if (pos + 5 > len) return -1;
          skip = 6 + header(b, pos, 4);
          break;
        case 0xcc:
        case 0xd0:
          skip = 2;
          break;
        case 0xcd:
        case 0xd1:
          skip = 3;
          break;
        case 0xca:
        case 0xce:
        case 0xd2:
          skip = 5;
          break;
        case 0xcb:
        case 0xcf:
        case 0xd3:
          skip = 9;
          break;
        case 0xd4:
          skip = 3;
          break;
        case 0xd5:
          skip = 4;
          break;
        case 0xd6:
          skip = 6;
          break;
        case 0xd7:
          skip = 10;
          break;
        case 0xd8:
          skip = 18;
          break;
        case 0xdc:
        case 0xde:
          if (pos + 3 > len) return -1;
          need += header(b, pos, 2) * (t === 0xde ? 2 : 1);
          skip = 3;
          break;
        case 0xdd:
        case 0xdf:
          if (pos + 5 > len) return -1;
          need += header(b, pos, 4) * (t === 0xdf ? 2 : 1);
          skip = 5;
          break;
        default:
          throw new SyntaxError(
            `Cannot frame msgpack: type byte 0x${t.toString(16)} is never used`,
          );
      }
      pos += skip;
    }
  }
  return pos > len ? -1 : pos;
}

/**
 * Frames that are each one whole msgpack value (still encoded).
 *
 * @example
 * ```ts
 * const framer = msgpackFramer({ maxBytes: 1 << 20, onOversize() {} });
 * const out: Uint8Array[] = [];
 * framer.push(new Uint8Array([0x01, 0x92, 0x01]), out); // out: [0x01]; [0x92, 0x01] waits
 * ```
 */
export function msgpackFramer(hooks: FramerHooks): Framer {
  let pending: Uint8Array = new Uint8Array(0);
  return {
    push(data, out) {
      const buf = concatBytes(pending, data);
      let at = 0;
      while (at < buf.length) {
        const end = msgpackValueEnd(buf, at);
        if (end < 0) break;
        if (end - at > hooks.maxBytes) {
          hooks.onOversize(sampleOf(buf.subarray(at, end)), end - at);
        } else out.push(buf.subarray(at, end));
        at = end;
      }
      const rest = buf.subarray(at);
      if (rest.length > hooks.maxBytes) {
        hooks.onOversize(sampleOf(rest), rest.length);
        throw new RangeError(
          `Cannot frame msgpack: a value exceeds the buffer limit of ${hooks.maxBytes} bytes`,
        );
      }
      pending = rest.length > 0 ? rest.slice() : new Uint8Array(0);
    },
    end() {
      pending = new Uint8Array(0);
      return null;
    },
  };
}
