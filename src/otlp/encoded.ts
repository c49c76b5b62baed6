/**
 * The protobuf bytes a decoded span arrived as, so an encoder can write an untouched span
 * back as those bytes instead of encoding it again. Only a decoder told that it owns its
 * body remembers them: such a span's `spanId` is then a view into the body (not a copy),
 * and the body's table maps that view's offset to where the span's message lies. Looking
 * a span up is one WeakMap get per body and one Map get; nothing is added to the span
 * object, so deep-equality checks, spread and `structuredClone` see plain spans (a
 * structured clone copies the ID, so the clone is always encoded from its fields).
 *
 * Code that changes a decoded span in place calls {@link forgetEncoded} first.
 */
import type { Span } from "../event/span.ts";

/** A body's bytes and, by span ID offset, each span's message: start × 2^24 + length. */
interface Origin {
  bytes: Uint8Array;
  spans: Map<number, number>;
}

const origins = new WeakMap<ArrayBufferLike, Origin>();
const SHIFT = 2 ** 24;

/** The table of spans decoded from `body` (whose buffer the caller never reuses). */
export function originOf(body: Uint8Array): Origin {
  let o = origins.get(body.buffer);
  if (o === undefined) {
    o = { bytes: new Uint8Array(body.buffer), spans: new Map() };
    origins.set(body.buffer, o);
  }
  return o;
}

/**
 * Remembers that the span whose ID is the view `spanId` (into the origin's buffer) was
 * decoded from the message bytes [start, end) of that buffer (absolute offsets).
 */
export function rememberSpan(o: Origin, spanId: Uint8Array, start: number, end: number): void {
  const len = end - start;
  if (len < SHIFT && spanId.length > 0) o.spans.set(spanId.byteOffset, start * SHIFT + len);
}

let lastBuffer: ArrayBufferLike | undefined;
let lastOrigin: Origin | undefined;

/** The message bytes `span` was decoded from, while it is unchanged; else undefined. */
export function encodedOf(span: Span): Uint8Array | undefined {
  const id = span.spanId;
  const buffer = id.buffer;
  let o: Origin | undefined;
  if (buffer === lastBuffer) o = lastOrigin;
  else {
    o = origins.get(buffer);
    lastBuffer = buffer;
    lastOrigin = o;
  }
  if (o === undefined) return undefined;
  const at = o.spans.get(id.byteOffset);
  if (at === undefined) return undefined;
  const start = Math.floor(at / SHIFT);
  return o.bytes.subarray(start, start + (at % SHIFT));
}

/**
 * Forgets the bytes `span` was decoded from (its ID becomes a copy of the same bytes):
 * call it before changing a decoded span in place, so encoders write its new fields.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { hexSpan } from "../testing/spans.ts";
 * import { decodeTraces, encodeTraces } from "./mod.ts";
 *
 * const original = hexSpan("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
 * const body = encodeTraces([original], "protobuf");
 * const [span] = decodeTraces(body, "protobuf", { ownsBody: true });
 * forgetEncoded(span!);
 * span!.name = "renamed";
 * assertEquals(decodeTraces(encodeTraces([span!], "protobuf"), "protobuf")[0]!.name, "renamed");
 * ```
 */
export function forgetEncoded(span: Span): void {
  if (origins.has(span.spanId.buffer)) span.spanId = span.spanId.slice();
}
