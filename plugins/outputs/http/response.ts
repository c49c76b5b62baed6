/**
 * What an HTTP answer means for delivery: 2xx delivered; 408, 429, 5xx (and anything
 * else unexpected) worth a retry, honouring `Retry-After`; any other 4xx a permanent
 * refusal, as Fluent Bit's `out_http` decides.
 */
import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";

/** How a status is treated. */
export type StatusClass = "delivered" | "retryable" | "permanent";

/** The class of an HTTP status code. */
export function classifyStatus(status: number): StatusClass {
  if (status >= 200 && status < 300) return "delivered";
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return "permanent";
  return "retryable";
}

/**
 * Seconds a `Retry-After` value asks for: delta-seconds or an HTTP date (relative to
 * `now`, epoch ms). Undefined when absent or unreadable.
 *
 * @example
 * ```ts
 * parseRetryAfter("120"); // 120
 * ```
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The error a non-2xx answer becomes: PermanentError for a refusal, RetryableError with
 * the peer's Retry-After otherwise. `detail` is appended (the response body).
 */
export function responseError(
  status: number,
  options: { target: string; retryAfter: string | null; detail?: string },
): RetryableError | PermanentError {
  const detail = options.detail ? `: ${options.detail}` : "";
  const message = `${options.target} answered HTTP ${status}${detail}`;
  if (classifyStatus(status) === "permanent") return new PermanentError(message, { status });
  return new RetryableError(message, { status, retryAfter: parseRetryAfter(options.retryAfter) });
}
