/**
 * HTTP/2 frames (RFC 9113 §4, §6): the 9-byte header, the frame types and flags sluice
 * uses, and writers for each frame it sends. Parsing is a plain function over a buffer so
 * the connection reads many frames per socket read.
 */

/** Frame types. */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

/** Frame flags. */
export const Flag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

/** Error codes of RST_STREAM and GOAWAY. */
export const H2Error = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  ENHANCE_YOUR_CALM: 0xb,
} as const;

/** SETTINGS identifiers. */
export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** The client connection preface (RFC 9113 §3.4). */
export const PREFACE = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** The default and smallest SETTINGS_MAX_FRAME_SIZE. */
export const DEFAULT_MAX_FRAME = 16_384;
/** The initial flow-control window of every stream and the connection. */
export const DEFAULT_WINDOW = 65_535;

/** One parsed frame; `payload` is a view into the read buffer, valid until the next read. */
export interface Frame {
  type: number;
  flags: number;
  stream: number;
  payload: Uint8Array;
}

/**
 * The frame at the start of `buf`, or null when it is not whole yet. Throws RangeError
 * when its declared length exceeds `maxFrame` (a FRAME_SIZE_ERROR).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * const bytes = encodeFrame(FrameType.PING, 0, 0, new Uint8Array(8));
 * assertEquals(parseFrame(bytes, 16_384)?.type, FrameType.PING);
 * assertEquals(parseFrame(bytes.subarray(0, 5), 16_384), null);
 * ```
 */
export function parseFrame(buf: Uint8Array, maxFrame: number): Frame | null {
  if (buf.length < 9) return null;
  const length = (buf[0]! << 16) | (buf[1]! << 8) | buf[2]!;
  if (length > maxFrame) {
    throw new RangeError(`a frame of ${length} bytes exceeds the frame size limit ${maxFrame}`);
  }
  if (buf.length < 9 + length) return null;
  const stream = ((buf[5]! & 0x7f) << 24 | (buf[6]! << 16) | (buf[7]! << 8) | buf[8]!) >>> 0;
  return { type: buf[3]!, flags: buf[4]!, stream, payload: buf.subarray(9, 9 + length) };
}

/** One frame's bytes. */
export function encodeFrame(
  type: number,
  flags: number,
  stream: number,
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(9 + payload.length);
  const n = payload.length;
  out[0] = n >>> 16;
  out[1] = (n >>> 8) & 0xff;
  out[2] = n & 0xff;
  out[3] = type;
  out[4] = flags;
  new DataView(out.buffer).setUint32(5, stream & 0x7fffffff);
  out.set(payload, 9);
  return out;
}

/** A SETTINGS frame with the given identifier/value pairs. */
export function settingsFrame(entries: Array<[number, number]>): Uint8Array {
  const payload = new Uint8Array(entries.length * 6);
  const view = new DataView(payload.buffer);
  entries.forEach(([id, value], i) => {
    view.setUint16(i * 6, id);
    view.setUint32(i * 6 + 2, value);
  });
  return encodeFrame(FrameType.SETTINGS, 0, 0, payload);
}

/** A WINDOW_UPDATE frame granting `increment` bytes. */
export function windowUpdateFrame(stream: number, increment: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, increment & 0x7fffffff);
  return encodeFrame(FrameType.WINDOW_UPDATE, 0, stream, payload);
}

/** A RST_STREAM frame. */
export function rstFrame(stream: number, code: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, code);
  return encodeFrame(FrameType.RST_STREAM, 0, stream, payload);
}

/** A GOAWAY frame naming the last stream processed. */
export function goawayFrame(lastStream: number, code: number, debug = ""): Uint8Array {
  const text = new TextEncoder().encode(debug);
  const payload = new Uint8Array(8 + text.length);
  const view = new DataView(payload.buffer);
  view.setUint32(0, lastStream & 0x7fffffff);
  view.setUint32(4, code);
  payload.set(text, 8);
  return encodeFrame(FrameType.GOAWAY, 0, 0, payload);
}

/** The payload of a HEADERS or DATA frame without its padding and priority fields. */
export function unpad(frame: Frame): Uint8Array {
  let p = frame.payload;
  let pad = 0;
  if (frame.flags & Flag.PADDED) {
    if (p.length < 1) throw new RangeError("a padded frame without its pad length");
    pad = p[0]!;
    p = p.subarray(1);
  }
  if (frame.type === FrameType.HEADERS && frame.flags & Flag.PRIORITY) {
    if (p.length < 5) throw new RangeError("a HEADERS frame too short for its priority");
    p = p.subarray(5);
  }
  if (pad > p.length) throw new RangeError("padding longer than the frame");
  return p.subarray(0, p.length - pad);
}
