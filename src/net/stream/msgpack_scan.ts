/**
 * Measures msgpack values without decoding them, so a frame is cut out of a stream (or a
 * packed entry stream is split) before anything is allocated for it. Declared lengths are
 * checked against a byte budget as they are read: an array or map header announcing more
 * items than bytes the budget leaves (each item takes at least one byte), or a string, binary
 * or ext longer than it, is refused at once instead of waiting for, or allocating, the data.
 * A value over the budget throws RangeError; the never-used type byte 0xc1 throws SyntaxError.
 */

function uintAt(b: Uint8Array, pos: number, size: number): number {
  let n = 0;
  for (let i = 1; i <= size; i++) n = n * 256 + b[pos + i]!;
  return n;
}

/** Fixed total sizes (type byte included) of the scalar types 0xc0..0xdf; 0 when variable. */
const FIXED = new Uint8Array(32);
const FIXED_SIZES: readonly (readonly [type: number, size: number])[] = [
  [0xc0, 1],
  [0xc2, 1],
  [0xc3, 1],
  [0xca, 5],
  [0xcb, 9],
  [0xcc, 2],
  [0xcd, 3],
  [0xce, 5],
  [0xcf, 9],
  [0xd0, 2],
  [0xd1, 3],
  [0xd2, 5],
  [0xd3, 9],
  [0xd4, 3],
  [0xd5, 4],
  [0xd6, 6],
  [0xd7, 10],
  [0xd8, 18],
];
for (const [t, n] of FIXED_SIZES) FIXED[t - 0xc0] = n;

/** Where a scan stopped: the next byte to read and how many values are still to come. */
export interface ScanState {
  /** Offset of the next header to read (may lie past the data while a body is incomplete). */
  pos: number;
  /** Values still to read (1 before the first header, 0 when the value is complete). */
  need: number;
}

/**
 * Advances `state` over the bytes `b` holds, returning true once the value is complete
 * (then `state.pos` is its end). Call again with the same state after more bytes arrived:
 * nothing is scanned twice. `limit` is the offset the value must end by; a header declaring
 * more throws RangeError, the type byte 0xc1 SyntaxError.
 */
export function scanValue(b: Uint8Array, state: ScanState, limit: number): boolean {
  let pos = state.pos;
  let need = state.need;
  const len = b.length;
  try {
    while (need > 0) {
      if (pos >= len) return false;
      const t = b[pos]!;
      if (t <= 0x7f || t >= 0xe0) {
        need--;
        pos += 1;
        continue;
      }
      let items = 0;
      let skip: number;
      if (t <= 0x8f) {
        items = (t & 0x0f) * 2;
        skip = 1;
      } else if (t <= 0x9f) {
        items = t & 0x0f;
        skip = 1;
      } else if (t <= 0xbf) {
        skip = 1 + (t & 0x1f);
      } else if (FIXED[t - 0xc0]! > 0) {
        skip = FIXED[t - 0xc0]!;
      } else {
        let size: number;
        let extra = 0;
        switch (t) {
          case 0xc4:
          case 0xd9:
            size = 1;
            break;
          case 0xc5:
          case 0xda:
            size = 2;
            break;
          case 0xc6:
          case 0xdb:
            size = 4;
            break;
          case 0xc7:
            size = 1;
            extra = 1;
            break;
          case 0xc8:
            size = 2;
            extra = 1;
            break;
          case 0xc9:
            size = 4;
            extra = 1;
            break;
          case 0xdc:
          case 0xde:
            size = 2;
            break;
          case 0xdd:
          case 0xdf:
            size = 4;
            break;
          default:
            throw new SyntaxError(
              `Cannot read msgpack: type byte 0x${t.toString(16)} at offset ${pos} is never used`,
            );
        }
        if (pos + 1 + size > len) return false;
        const n = uintAt(b, pos, size);
        if (t >= 0xdc) {
          items = t >= 0xde ? n * 2 : n;
          skip = 1 + size;
        } else {
          skip = 1 + size + extra + n;
        }
      }
      need += items - 1;
      // Every pending item takes at least one byte: refuse a header that cannot fit.
      if (pos + skip + need > limit) {
        throw new RangeError(
          `Cannot read msgpack: a value declares more than the ${limit} bytes allowed`,
        );
      }
      pos += skip;
    }
    return pos <= len;
  } finally {
    state.pos = pos;
    state.need = need;
  }
}

/**
 * The index just past the msgpack value starting at `pos`, or -1 when `b` ends before it.
 * `budget` is the most bytes the value may take (defaults to what `b` holds from `pos`);
 * a value declaring more throws RangeError, the never-used type byte 0xc1 SyntaxError.
 *
 * @example
 * ```ts
 * msgpackEnd(new Uint8Array([0x92, 0x01, 0x02, 0xc0]), 0); // 3
 * msgpackEnd(new Uint8Array([0x92, 0x01]), 0, 100); // -1: one more item to come
 * ```
 */
export function msgpackEnd(b: Uint8Array, pos: number, budget = b.length - pos): number {
  const state = { pos, need: 1 };
  return scanValue(b, state, Math.min(pos + budget, Number.MAX_SAFE_INTEGER)) ? state.pos : -1;
}
