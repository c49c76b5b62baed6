/**
 * Turning the frames of Fluent Bit's tcp and udp inputs into records: with `format json`
 * an object is the body and an array becomes `{"msg": array}`; with `format none` a frame
 * is `{"log": text}`; with `format msgpack` (a sluice addition, for Fluent Bit's tcp output
 * in its default format) a frame is one msgpack event, its time kept. Anything else (invalid JSON, a bare scalar) is counted and reported,
 * and the frames around it go on.
 */
import { errorMessage } from "../../../src/error_message.ts";
import type { EventTime } from "../../../src/event/event_time.ts";
import { isGroupMarker, type LogRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { decodeRecords } from "../../../src/event/msgpack.ts";

/** Turns frames into records. */
export interface FrameConverter {
  /** Appends the records of `frames` (all from `peer`, read at `time`) to `out`. */
  convert(frames: readonly Uint8Array[], peer: string, time: EventTime, out: LogRecord[]): void;
  /** Frames that were not a JSON object or array. */
  readonly malformed: number;
}

/** How frames become records. */
export interface FrameConverterOptions {
  format: "json" | "none" | "msgpack";
  /** Key added with the sender's address, when set. */
  sourceAddressKey?: string;
  /** Called with each malformed frame's text. */
  onMalformed(text: string): void;
}

/**
 * The converter for `format`.
 *
 * @example
 * ```ts
 * import { EventTime } from "../../../src/event/event_time.ts";
 * import type { LogRecord } from "../../../src/event/log_record.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const conv = frameConverter({ format: "json", sourceAddressKey: "src", onMalformed() {} });
 * const out: LogRecord[] = [];
 * const frames = ['{"a":1}', "not json"].map((t) => new TextEncoder().encode(t));
 * conv.convert(frames, "tcp://1.2.3.4:5", EventTime.now(), out);
 * assertEquals(out.map((r) => r.body), [{ a: 1, src: "tcp://1.2.3.4:5" }]);
 * assertEquals(conv.malformed, 1);
 * ```
 */
export function frameConverter(options: FrameConverterOptions): FrameConverter {
  const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
  const key = options.sourceAddressKey || undefined;
  let malformed = 0;
  function bad(text: string): void {
    malformed++;
    options.onMalformed(text);
  }
  const json = options.format === "json";
  function msgpack(frames: readonly Uint8Array[], peer: string, out: LogRecord[]): void {
    for (const frame of frames) {
      let events: LogRecord[];
      try {
        events = decodeRecords(frame);
      } catch (e) {
        bad(`${errorMessage(e)} (${frame.length} bytes)`);
        continue;
      }
      for (const event of events) {
        if (isGroupMarker(event)) continue;
        if (key !== undefined) event.body[key] = peer;
        out.push(event);
      }
    }
  }
  return {
    get malformed() {
      return malformed;
    },
    convert(frames, peer, time, out) {
      if (options.format === "msgpack") return msgpack(frames, peer, out);
      const texts = decodeFrames(decoder, frames);
      for (let f = 0; f < texts.length; f++) {
        const text = texts[f]!;
        let body: RecordMap;
        if (!json) body = { log: text };
        else {
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            bad(text);
            continue;
          }
          if (Array.isArray(value)) body = { msg: value };
          else if (value !== null && typeof value === "object") body = value as RecordMap;
          else {
            bad(text);
            continue;
          }
        }
        if (key !== undefined) body[key] = peer;
        out.push({ time, metadata: {}, body });
      }
    },
  };
}

/**
 * The text of each frame. Frames cut from one read share its buffer: the span they cover is
 * decoded once, and when it decodes to one UTF-16 unit per byte (every byte ASCII or an invalid
 * byte replaced on its own, so a frame decodes alone exactly as within the span) each frame's
 * text is a slice of it at its byte offsets. Otherwise each frame is decoded on its own.
 */
function decodeFrames(decoder: TextDecoder, frames: readonly Uint8Array[]): string[] {
  const first = frames[0];
  const last = frames[frames.length - 1];
  const out: string[] = new Array(frames.length);
  if (first !== undefined && last !== undefined && frames.length > 1) {
    const base = first.byteOffset;
    const end = last.byteOffset + last.length;
    let contiguous = end >= base;
    for (let f = 1; contiguous && f < frames.length; f++) {
      const a = frames[f - 1]!, b = frames[f]!;
      contiguous = b.buffer === first.buffer && b.byteOffset >= a.byteOffset + a.length;
    }
    if (contiguous) {
      const text = decoder.decode(new Uint8Array(first.buffer, base, end - base));
      if (text.length === end - base) {
        for (let f = 0; f < frames.length; f++) {
          const frame = frames[f]!;
          const at = frame.byteOffset - base;
          out[f] = text.slice(at, at + frame.length);
        }
        return out;
      }
    }
  }
  for (let f = 0; f < frames.length; f++) out[f] = decoder.decode(frames[f]);
  return out;
}
