/**
 * Reading a connection as HTTP/2 frames: the client preface first on a server, then each
 * frame, many per socket read, handed to `onFrame` as a view into the read buffer. Also
 * the assembly of header blocks from HEADERS and CONTINUATION frames, bounded in size.
 */
import { errorMessage } from "../../error_message.ts";
import type { ByteStream } from "../stream/dial.ts";
import {
  DEFAULT_MAX_FRAME,
  Flag,
  type Frame,
  FrameType,
  H2Error,
  parseFrame,
  PREFACE,
  Setting,
  unpad,
} from "./frames.ts";
import { concatBytes } from "./write_queue.ts";

/** A connection error: the session ends with GOAWAY carrying `code`. */
export class H2ConnectionError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = "H2ConnectionError";
    this.code = code;
  }
}

/**
 * Reads frames until the peer closes (resolves) or `stop()` says so; throws
 * {@link H2ConnectionError} for a bad preface or an oversized frame, and whatever
 * `onFrame` throws.
 */
export async function readFrames(
  io: ByteStream,
  options: {
    prefix?: Uint8Array;
    expectPreface: boolean;
    onFrame: (f: Frame) => void;
    stop: () => boolean;
  },
): Promise<void> {
  let buf = new Uint8Array(Math.max(64 * 1024, options.prefix?.length ?? 0));
  let end = 0;
  if (options.prefix) {
    buf.set(options.prefix);
    end = options.prefix.length;
  }
  let preface = options.expectPreface;
  while (!options.stop()) {
    let start = 0;
    if (preface && end >= PREFACE.length) {
      for (let i = 0; i < PREFACE.length; i++) {
        if (buf[i] !== PREFACE[i]) {
          throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "not an HTTP/2 preface");
        }
      }
      preface = false;
      start = PREFACE.length;
    }
    if (!preface) {
      let frame: Frame | null;
      try {
        while ((frame = parseFrame(buf.subarray(start, end), DEFAULT_MAX_FRAME)) !== null) {
          start += 9 + frame.payload.length;
          options.onFrame(frame);
          if (options.stop()) return;
        }
      } catch (e) {
        if (e instanceof RangeError) {
          throw new H2ConnectionError(H2Error.FRAME_SIZE_ERROR, e.message);
        }
        throw e;
      }
    }
    if (start > 0) {
      buf.copyWithin(0, start, end);
      end -= start;
    }
    if (end === buf.length) {
      const grown = new Uint8Array(buf.length * 2);
      grown.set(buf);
      buf = grown;
    }
    const n = await io.read(buf.subarray(end));
    if (n === null) return;
    end += n;
  }
}

/** A whole header block and the flags of the HEADERS frame that began it. */
export interface HeaderBlock {
  stream: number;
  flags: number;
  block: Uint8Array;
}

/** Joins HEADERS and CONTINUATION frames into header blocks of at most `max` bytes. */
export class HeaderBlocks {
  #max: number;
  #open: { stream: number; flags: number; parts: Uint8Array[]; bytes: number } | null = null;

  constructor(max: number) {
    this.#max = max;
  }

  /** True while a block waits for its CONTINUATION frames (no other frame may come). */
  get pending(): boolean {
    return this.#open !== null;
  }

  /** Takes a HEADERS or CONTINUATION frame; returns the block once it is whole. */
  take(f: Frame): HeaderBlock | null {
    if (f.type === FrameType.CONTINUATION) {
      const hb = this.#open;
      if (hb === null || hb.stream !== f.stream) {
        throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "an unexpected CONTINUATION frame");
      }
      hb.parts.push(f.payload.slice());
      hb.bytes += f.payload.length;
      this.#check(hb.bytes);
      if (!(f.flags & Flag.END_HEADERS)) return null;
      this.#open = null;
      return { stream: hb.stream, flags: hb.flags, block: concatBytes(hb.parts) };
    }
    if (f.stream === 0) throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "HEADERS on stream 0");
    let block: Uint8Array;
    try {
      block = unpad(f);
    } catch (e) {
      throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, errorMessage(e));
    }
    this.#check(block.length);
    if (f.flags & Flag.END_HEADERS) return { stream: f.stream, flags: f.flags, block };
    this.#open = { stream: f.stream, flags: f.flags, parts: [block.slice()], bytes: block.length };
    return null;
  }

  #check(bytes: number): void {
    if (bytes > this.#max) {
      throw new H2ConnectionError(
        H2Error.ENHANCE_YOUR_CALM,
        `a header block over ${this.#max} bytes`,
      );
    }
  }
}

/** What a peer's SETTINGS frame changes that sluice acts on. */
export interface PeerSettings {
  initialWindow?: number;
  maxFrame?: number;
}

/**
 * The settings in a SETTINGS payload, validated (RFC 9113 §6.5.2); throws
 * {@link H2ConnectionError} for a bad length or value.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * import { Setting, settingsFrame } from "./frames.ts";
 * const payload = settingsFrame([[Setting.INITIAL_WINDOW_SIZE, 1_000_000]]).subarray(9);
 * assertEquals(parseSettings(payload), { initialWindow: 1_000_000 });
 * ```
 */
export function parseSettings(payload: Uint8Array): PeerSettings {
  if (payload.length % 6 !== 0) {
    throw new H2ConnectionError(H2Error.FRAME_SIZE_ERROR, "a SETTINGS frame of a bad length");
  }
  const out: PeerSettings = {};
  const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
  for (let i = 0; i < payload.length; i += 6) {
    const id = view.getUint16(i);
    const value = view.getUint32(i + 2);
    if (id === Setting.INITIAL_WINDOW_SIZE) {
      if (value > 0x7fffffff) {
        throw new H2ConnectionError(H2Error.FLOW_CONTROL_ERROR, "initial window too large");
      }
      out.initialWindow = value;
    } else if (id === Setting.MAX_FRAME_SIZE) {
      if (value < DEFAULT_MAX_FRAME || value > 16_777_215) {
        throw new H2ConnectionError(H2Error.PROTOCOL_ERROR, "a bad SETTINGS_MAX_FRAME_SIZE");
      }
      out.maxFrame = value;
    }
  }
  return out;
}

/** The 31-bit number at the start of a WINDOW_UPDATE (its increment) or GOAWAY (last stream). */
export function leading31(f: Frame): number {
  if (f.payload.length < 4 || (f.type === FrameType.WINDOW_UPDATE && f.payload.length !== 4)) {
    throw new H2ConnectionError(H2Error.FRAME_SIZE_ERROR, `a type ${f.type} frame of a bad length`);
  }
  return new DataView(f.payload.buffer, f.payload.byteOffset).getUint32(0) & 0x7fffffff;
}
