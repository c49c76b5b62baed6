/**
 * Errors an output throws; only the engine retries.
 *
 * @example
 * ```ts
 * import { assert, assertEquals, assertRejects } from "../testing/assert.ts";
 *
 * async function write(): Promise<void> {
 *   throw new RetryableError("Receiver answered 503", { retryAfter: 2, status: 503 });
 * }
 * const err = await assertRejects(write, RetryableError);
 * assert(err instanceof RetryableError);
 * assertEquals([err.retryAfter, err.status], [2, 503]);
 * ```
 */
export class RetryableError extends Error {
  /** Seconds the peer asked us to wait (Retry-After), when it said. */
  readonly retryAfter?: number;
  /** The status the peer answered, when there was one (HTTP code). */
  readonly status?: number;

  /** A retryable failure saying `message`, with the peer's Retry-After and status when known. */
  constructor(
    message: string,
    options: { retryAfter?: number; status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "RetryableError";
    this.retryAfter = options.retryAfter;
    this.status = options.status;
  }
}

/** An output's final refusal: retrying cannot help (a 400, a malformed record). */
export class PermanentError extends Error {
  /** The status the peer answered, when there was one (HTTP code). */
  readonly status?: number;

  /** A permanent failure saying `message`, with the peer's status when known. */
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "PermanentError";
    this.status = options.status;
  }
}
