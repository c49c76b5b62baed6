/**
 * The error every OTLP decoder throws for a malformed payload: a `SyntaxError`
 * whose message names where the problem is (`resourceSpans[0].scopeSpans[1].spans[3].traceId`)
 * and what is wrong with it, so an input can answer 400 with a useful body.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const err = new OtlpDecodeError("resourceSpans[0].scopeSpans", "expected an array, got object");
 * assertEquals(err.message, "resourceSpans[0].scopeSpans: expected an array, got object");
 * ```
 */
export class OtlpDecodeError extends SyntaxError {
  /** Where in the request the problem is, as a JSON-style path (empty for the whole body). */
  readonly path: string;
  /** What is wrong, without the path. */
  readonly detail: string;

  /** An error at `path` (JSON-style, "" for the whole body) saying `detail`. */
  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(path === "" ? detail : `${path}: ${detail}`, options);
    this.name = "OtlpDecodeError";
    this.path = path;
    this.detail = detail;
  }
}

/** Throws an {@link OtlpDecodeError} for `path`; a `never` helper for decoders. */
export function fail(path: string, detail: string): never {
  throw new OtlpDecodeError(path, detail);
}

/** A short description of a JSON value's type for error messages. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value instanceof Uint8Array) return "bytes";
  return typeof value;
}
