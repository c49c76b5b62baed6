/**
 * A chunk's records as msgpack, the payload of chunk files and dead letters. Logs are
 * Fluent Bit's v2 events (`encodeRecords`); spans and metrics are their objects as msgpack
 * maps, with every bigint kept exact as ext type 1 (its decimal digits) so timestamps and
 * counters come back as bigints, and EventTime as ext type 0.
 *
 * @example
 * ```ts
 * import type { TraceChunk } from "../../event/chunk.ts";
 * import { assertEquals } from "../../testing/assert.ts";
 * import { testInputContext } from "../../testing/input_context.ts";
 * import { testSpan } from "../../testing/spans.ts";
 *
 * const ctx = testInputContext({ name: "otlp.0" });
 * const chunk = ctx.signalChunk<TraceChunk>("traces", [testSpan({ name: "checkout" })]);
 * const bytes = encodeChunkRecords(chunk);
 * assertEquals(decodeChunkRecords("traces", bytes), chunk.records); // bigint times stay bigint
 * ```
 */
import { Decoder, Encoder, ExtensionCodec } from "@msgpack/msgpack";
import type { Chunk, Signal } from "../../event/chunk.ts";
import { EventTime } from "../../event/event_time.ts";
import { decodeRecords, encodeRecords, eventTimeBytes } from "../../event/msgpack.ts";

/** The ext type bigints are written with in span and metric payloads. */
export const BIGINT_EXT_TYPE = 1;

const codec = new ExtensionCodec();
codec.register({
  type: 0,
  encode: (v: unknown) => v instanceof EventTime ? eventTimeBytes(v) : null,
  decode: (data: Uint8Array) => {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    return new EventTime(view.getUint32(0), view.getUint32(4));
  },
});
const text = new TextEncoder();
const untext = new TextDecoder();
codec.register({
  type: BIGINT_EXT_TYPE,
  encode: (v: unknown) => typeof v === "bigint" ? text.encode(v.toString()) : null,
  decode: (data: Uint8Array) => BigInt(untext.decode(data)),
});

const encoder = new Encoder({ extensionCodec: codec, ignoreUndefined: false });
const decoder = new Decoder({ extensionCodec: codec });

/** Encodes any value with the EventTime and exact-bigint extensions. */
export function encodeTyped(value: unknown): Uint8Array {
  return encoder.encode(value);
}

/** Decodes a value written by {@link encodeTyped}. */
export function decodeTyped(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}

/** The records of `chunk` as one msgpack payload. */
export function encodeChunkRecords(chunk: Chunk): Uint8Array {
  if (chunk.signal === "logs") return encodeRecords(chunk.records);
  return encodeTyped(chunk.records);
}

/** Records back from a payload; throws TypeError or RangeError when it is malformed. */
export function decodeChunkRecords(signal: Signal, bytes: Uint8Array): Chunk["records"] {
  if (signal === "logs") return decodeRecords(bytes);
  const value = decodeTyped(bytes);
  if (!Array.isArray(value)) {
    throw new TypeError(`Cannot decode ${signal} records: expected an array`);
  }
  return value as Chunk["records"];
}
