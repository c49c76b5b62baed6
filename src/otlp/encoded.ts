/**
 * The protobuf bytes a decoded span arrived as, so an encoder can write an untouched span
 * back as those bytes instead of encoding it again. Only a decoder told that it owns its
 * body remembers them: such a span's `spanId` is then a view into the body (not a copy),
 * and the body is noted against its buffer. Decoding pays nothing more; the first encoder
 * that looks a span of that body up walks the body once (its ResourceSpans, ScopeSpans and
 * Span fields, without decoding them) to map each span ID's offset to where its span's
 * message lies. Nothing is added to the span object, so deep-equality checks, spread and
 * `structuredClone` see plain spans (a structured clone copies the ID, so the clone is
 * always encoded from its fields).
 *
 * Code that changes a decoded span in place calls {@link forgetEncoded} first.
 */
import type { Span } from "../event/span.ts";

/**
 * A buffer's bytes, the bodies in it not walked yet ([start, end) pairs), and by span ID
 * offset the [start, end) of each walked span's message (two small integers in one array).
 */
interface Origin {
  bytes: Uint8Array;
  unwalked: number[];
  spans: Map<number, number>;
  ends: Map<number, number>;
}

const origins = new WeakMap<ArrayBufferLike, Origin>();

/** Notes that the spans just decoded from `body` (never reused by the caller) may be written back. */
export function rememberBody(body: Uint8Array): void {
  let o = origins.get(body.buffer);
  if (o === undefined) {
    o = { bytes: new Uint8Array(body.buffer), unwalked: [], spans: new Map(), ends: new Map() };
    origins.set(body.buffer, o);
  }
  o.unwalked.push(body.byteOffset, body.byteOffset + body.byteLength);
}

let lastBuffer: ArrayBufferLike | undefined;
let lastOrigin: Origin | undefined;

/** The message bytes `span` was decoded from, while it is unchanged; else undefined. */
export function encodedOf(span: Span): Uint8Array | undefined {
  const id = span.spanId;
  if (id.length === 0) return undefined;
  const buffer = id.buffer;
  let o: Origin | undefined;
  if (buffer === lastBuffer) o = lastOrigin;
  else {
    o = origins.get(buffer);
    lastBuffer = buffer;
    lastOrigin = o;
  }
  if (o === undefined) return undefined;
  let start = o.spans.get(id.byteOffset);
  if (start === undefined && o.unwalked.length > 0) {
    walk(o);
    start = o.spans.get(id.byteOffset);
  }
  if (start === undefined) return undefined;
  return o.bytes.subarray(start, o.ends.get(id.byteOffset));
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

/** Maps the span IDs of every body of `o` not walked yet to their spans' messages. */
function walk(o: Origin): void {
  const b = o.bytes;
  const u = o.unwalked;
  o.unwalked = [];
  for (let i = 0; i + 1 < u.length; i += 2) {
    // ExportTraceServiceRequest.resource_spans (1) > ResourceSpans.scope_spans (2) >
    // ScopeSpans.spans (2) > Span.span_id (2): the decoder already accepted this body.
    fields(
      b,
      u[i]!,
      u[i + 1]!,
      1,
      (rs, re) =>
        fields(
          b,
          rs,
          re,
          2,
          (ss, se) =>
            fields(b, ss, se, 2, (ps, pe) =>
              fields(b, ps, pe, 2, (is) => {
                o.spans.set(is, ps);
                o.ends.set(is, pe);
              })),
        ),
    );
  }
}

/** Calls `each` with the [start, end) of every length-delimited field `field` in [at, end). */
function fields(
  b: Uint8Array,
  at: number,
  end: number,
  field: number,
  each: (start: number, end: number) => void,
): void {
  while (at < end) {
    let tag = 0;
    for (let shift = 1;; shift *= 128) {
      const byte = b[at++]!;
      tag += (byte & 0x7f) * shift;
      if (byte < 0x80) break;
    }
    const wire = tag % 8;
    if (wire === 0) {
      while (b[at++]! >= 0x80);
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      let len = 0;
      for (let shift = 1;; shift *= 128) {
        const byte = b[at++]!;
        len += (byte & 0x7f) * shift;
        if (byte < 0x80) break;
      }
      if (Math.floor(tag / 8) === field) each(at, at + len);
      at += len;
    } else return; // groups (3, 4): not in OTLP; the decoder skipped them, so does this
  }
}
