/**
 * What an HTTP answer means for delivery. Fluent Bit's outputs count 200-205 as
 * delivered; 408, 429 and 5xx are worth a retry (honouring `Retry-After`), any other
 * status is a refusal. A protocol with its own rule (OTLP retries only 429, 502, 503 and
 * 504) passes its retryable set.
 */
import { PermanentError, RetryableError } from "../../engine/errors.ts";

/** How a status is treated. */
export type StatusClass = "delivered" | "retryable" | "permanent";

/** Which statuses are delivered and which retried; everything else is permanent. */
export interface StatusPolicy {
  /** Whether `status` means the request was delivered. */
  delivered(status: number): boolean;
  /** Whether `status` is worth a retry. */
  retryable(status: number): boolean;
}

/**
 * Fluent Bit's rule for HTTP outputs (`out_http`): 200-205 delivered; a 4xx other than
 * 408 and 429 refused; everything else (5xx, 206-299, 1xx, 3xx) retried.
 */
export const FLUENT_BIT_STATUS: StatusPolicy = {
  delivered: (s) => s >= 200 && s <= 205,
  retryable: (s) => s < 400 || s >= 500 || s === 408 || s === 429,
};

/** The OTLP/HTTP rule: any 2xx delivered; only 429, 502, 503 and 504 retried. */
export const OTLP_STATUS: StatusPolicy = {
  delivered: (s) => s >= 200 && s < 300,
  retryable: (s) => s === 429 || s === 502 || s === 503 || s === 504,
};

/** The class of `status` under `policy` (Fluent Bit's by default). */
export function classifyStatus(
  status: number,
  policy: StatusPolicy = FLUENT_BIT_STATUS,
): StatusClass {
  if (policy.delivered(status)) return "delivered";
  return policy.retryable(status) ? "retryable" : "permanent";
}

/**
 * Seconds a `Retry-After` value asks for: delay-seconds or an HTTP date (relative to
 * `nowMs`). Undefined when absent or unreadable (a negative number, a word).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * assertEquals(parseRetryAfter("120"), 120);
 * const now = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");
 * assertEquals(parseRetryAfter("Wed, 21 Oct 2026 07:28:30 GMT", now), 30);
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** What {@link responseError} needs about the answer. */
export interface AnswerFacts {
  /** `host:port` (or URL), for the message. */
  target: string;
  /** The answer's Retry-After header, when any. */
  retryAfter: string | null | undefined;
  /** The answer's body, already cut short, appended to the message. */
  detail?: string;
  /** Which statuses are retryable; Fluent Bit's rule when omitted. */
  policy?: StatusPolicy;
}

/**
 * The error a not-delivered answer becomes: PermanentError for a refusal, RetryableError
 * carrying the peer's Retry-After otherwise.
 */
export function responseError(status: number, facts: AnswerFacts): RetryableError | PermanentError {
  const detail = facts.detail ? `: ${facts.detail}` : "";
  const message = `${facts.target} answered HTTP ${status}${detail}`;
  if (classifyStatus(status, facts.policy) === "permanent") {
    return new PermanentError(message, { status });
  }
  return new RetryableError(message, { status, retryAfter: parseRetryAfter(facts.retryAfter) });
}

/** An answer's body as one short line for a message: whitespace folded, at most `max` chars. */
export function snippet(text: string, max = 512): string {
  const t = text.trim().replace(/\s+/g, " ");
  return t.length > max ? `${t.slice(0, max)}...` : t;
}
