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

/**
 * A body's bytes and, by span ID offset, where each span's message starts (just after its
 * length prefix). Offsets are small integers, kept unboxed in the Map; the length is read
 * back from the prefix when the span is encoded.
 */
interface Origin {
  bytes: Uint8Array;
  spans: Map<number, number>;
}

const origins = new WeakMap<ArrayBufferLike, Origin>();
/** Largest offset kept (a V8 small integer on every platform). */
const MAX_OFFSET = 2 ** 30 - 1;

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
 * decoded from the message starting at `start` of that buffer (an absolute offset, just
 * after the message's tag and length prefix).
 */
export function rememberSpan(o: Origin, spanId: Uint8Array, start: number): void {
  if (spanId.length > 0 && start <= MAX_OFFSET) o.spans.set(spanId.byteOffset, start);
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
  const start = o.spans.get(id.byteOffset);
  if (start === undefined) return undefined;
  // The length prefix ends just before `start` and follows the span's one-byte tag (0x12),
  // whose high bit is clear: walk back to the prefix's first byte and read it forward.
  const b = o.bytes;
  let p = start - 1;
  while (b[p - 1]! >= 0x80) p--;
  let len = 0;
  for (let shift = 1; p < start; p++, shift *= 128) len += (b[p]! & 0x7f) * shift;
  return b.subarray(start, start + len);
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
