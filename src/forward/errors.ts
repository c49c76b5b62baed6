/**
 * The one error type of the forward protocol codec: every malformed, truncated or hostile
 * input ends as a `ForwardError` with a machine-readable `reason`, so a connection loop can
 * count it by reason, log one sample and decide how to answer without guessing.
 */

/** Why a forward message or handshake was refused. */
export type ForwardErrorReason =
  | "bad_msgpack"
  | "truncated"
  | "too_large"
  | "not_array"
  | "bad_mode"
  | "bad_tag"
  | "bad_time"
  | "bad_record"
  | "bad_option"
  | "bad_signal"
  | "bad_gzip"
  | "bad_payload"
  | "bad_handshake"
  | "auth_failed";

/**
 * A refused forward input, with its reason.
 *
 * @example
 * ```ts
 * const e = new ForwardError("bad_tag", "Cannot decode forward message: expected a string tag, got 1");
 * e.reason; // "bad_tag"
 * ```
 */
export class ForwardError extends Error {
  /** The reason code, for counting and for choosing the answer. */
  readonly reason: ForwardErrorReason;

  /** An error with `reason` and a sentence-case message. */
  constructor(reason: ForwardErrorReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ForwardError";
    this.reason = reason;
  }
}

/**
 * The ForwardError for an error of the msgpack stream scanner or framer (RangeError: a value
 * over its limit, "too_large"; SyntaxError: not msgpack, "bad_msgpack"); null for any other.
 */
export function framingError(e: unknown): ForwardError | null {
  if (e instanceof ForwardError) return e;
  if (e instanceof RangeError) return new ForwardError("too_large", e.message, { cause: e });
  if (e instanceof SyntaxError) return new ForwardError("bad_msgpack", e.message, { cause: e });
  return null;
}

/** A short description of a decoded msgpack value for error messages. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Uint8Array) return `${v.byteLength} bytes of binary`;
  if (typeof v === "object") return v.constructor?.name === "ExtData" ? "an ext value" : "a map";
  if (typeof v === "string") return `"${v.length > 40 ? v.slice(0, 40) + "…" : v}"`;
  return `${typeof v} ${String(v)}`;
}
