/** Fixtures for src/forward tests: the Fluent Bit captures in testdata/forward. */
import { EventTime } from "../event/event_time.ts";

const dir = new URL("../../testdata/forward/", import.meta.url);

/** The bytes Fluent Bit 4.2.8's out_forward sent in capture `name` (see its README). */
export function captured(name: string): Uint8Array {
  return Deno.readFileSync(new URL(`${name}.bin`, dir));
}

/** Hex to bytes, spaces allowed. */
export function hexBytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The EventTime whose fixext8 (`d7 00`) starts at `offset`, read by hand from the bytes. */
export function eventTimeAt(bytes: Uint8Array, offset: number): EventTime {
  if (bytes[offset] !== 0xd7 || bytes[offset + 1] !== 0x00) {
    throw new RangeError(`Cannot read EventTime: no fixext8 type 0 at offset ${offset}`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset + 2, 8);
  return new EventTime(v.getUint32(0), v.getUint32(4));
}

/** The offset of the first fixext8 EventTime in `bytes`. */
export function firstEventTime(bytes: Uint8Array): number {
  for (let i = 0; i + 10 <= bytes.length; i++) {
    if (bytes[i] === 0xd7 && bytes[i + 1] === 0x00) return i;
  }
  throw new RangeError("Cannot find an EventTime in the capture");
}

/** Decompressed-size limit used across the tests. */
export const LIMITS = { maxDecompressedBytes: 1 << 20 };
