/**
 * Retry policy, as Fluent Bit's scheduler: full-jitter backoff between
 * `scheduler.base` and `min(scheduler.cap, base * 2^n)`, and `retry_limit`.
 */

/**
 * Seconds to wait before retry number `attempt` (1 for the first retry): uniform in
 * `[base, min(cap, base * 2^attempt)]`. A peer's Retry-After, when given, wins.
 */
export function backoffSeconds(
  attempt: number,
  options: { base: number; cap: number; retryAfter?: number; random?: () => number },
): number {
  if (options.retryAfter !== undefined && options.retryAfter >= 0) return options.retryAfter;
  const rand = options.random ?? Math.random;
  const upper = Math.max(options.base, Math.min(options.cap, options.base * 2 ** attempt));
  return options.base + (upper - options.base) * rand();
}
