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

/** One record of a write that the peer refused for good, and why (for {@link PartialWriteError}). */
export interface RejectedRecord {
  /** Its index in the written chunk's records. */
  index: number;
  /** The peer's reason, e.g. Elasticsearch's `mapper_parsing_exception: ...`. */
  reason: string;
  /** The peer's per-record status, when it gave one. */
  status?: number;
}

/**
 * Some records of a write were not delivered; every record it does not name was. The engine
 * retries only the records at `retry` (indexes into the written chunk's records, with the usual
 * backoff and `retry_limit`) and dead-letters those in `rejected` with their reasons. For APIs
 * that answer per record: Elasticsearch `_bulk` items, CloudWatch `rejectedLogEventsInfo`, Loki.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * // Items 1 and 3 of a bulk answered 429, item 2 a mapping error; 0 and 4 were indexed.
 * const err = new PartialWriteError("2 of 5 items failed", {
 *   retry: [1, 3],
 *   rejected: [{ index: 2, reason: "mapper_parsing_exception", status: 400 }],
 *   retryAfter: 1,
 * });
 * assertEquals([err.retry, err.rejected.length, err.retryAfter], [[1, 3], 1, 1]);
 * ```
 */
export class PartialWriteError extends Error {
  /** Indexes of the records to write again (a retry: backoff, counted against `retry_limit`). */
  readonly retry: readonly number[];
  /**
   * Indexes of records the peer never got to (after the one it stopped at): written again at
   * once, not counted as a retry when nothing else failed.
   */
  readonly unsent: readonly number[];
  /** The records refused for good. */
  readonly rejected: readonly RejectedRecord[];
  /** Seconds the peer asked us to wait before the retry, when it said. */
  readonly retryAfter?: number;
  /** The status of the retryable part, when there was one. */
  readonly status?: number;

  /** A partial failure saying `message`: retry `retry`, dead-letter `rejected`. */
  constructor(
    message: string,
    options: {
      retry?: readonly number[];
      unsent?: readonly number[];
      rejected?: readonly RejectedRecord[];
      retryAfter?: number;
      status?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "PartialWriteError";
    this.retry = options.retry ?? [];
    this.unsent = options.unsent ?? [];
    this.rejected = options.rejected ?? [];
    this.retryAfter = options.retryAfter;
    this.status = options.status;
  }
}
