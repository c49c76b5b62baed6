/**
 * Trace and span IDs as map keys. An ID is compared as the raw bytes of its full
 * length: the key holds one character per byte (latin1), so an ID that begins with
 * or contains a zero byte is a key like any other (Fluent Bit 4.2 keyed its registry
 * with C strings that stop at the first zero byte, merging unrelated traces).
 */
import type { Span } from "../../../src/event/span.ts";

/**
 * The map key of an ID: one character per byte over its full length.
 *
 * @example
 * ```ts
 * import { assert } from "../../../src/testing/assert.ts";
 *
 * assert(idKey(new Uint8Array([0, 1])) !== idKey(new Uint8Array([0, 2])));
 * assert(idKey(new Uint8Array([0, 1])) === idKey(new Uint8Array([0, 1])));
 * ```
 */
export function idKey(id: Uint8Array): string {
  if (id.length === 16) {
    return String.fromCharCode(
      id[0],
      id[1],
      id[2],
      id[3],
      id[4],
      id[5],
      id[6],
      id[7],
      id[8],
      id[9],
      id[10],
      id[11],
      id[12],
      id[13],
      id[14],
      id[15],
    );
  }
  let s = "";
  for (let i = 0; i < id.length; i++) s += String.fromCharCode(id[i]);
  return s;
}

/** An ID as lowercase hex, for log lines. */
export function hexOf(id: Uint8Array | string): string {
  let s = "";
  for (let i = 0; i < id.length; i++) {
    const b = typeof id === "string" ? id.charCodeAt(i) : id[i];
    s += (b < 16 ? "0" : "") + b.toString(16);
  }
  return s;
}

/** True when the span has no parent: an empty or all-zero parent span ID. */
export function isRootSpan(span: Span): boolean {
  const p = span.parentSpanId;
  if (!p) return true;
  for (let i = 0; i < p.length; i++) if (p[i] !== 0) return false;
  return true;
}
