/**
 * Retry policy, as Fluent Bit's scheduler: full-jitter backoff between
 * `scheduler.base` and `min(scheduler.cap, base * 2^n)`, and `retry_limit`.
 */

/**
 * Parses `retry_limit`: a number of retries, `no_limits`/`false`/`off` (unlimited)
 * or `no_retries` (a single attempt). Throws SyntaxError otherwise.
 *
 * @example
 * ```ts
 * parseRetryLimit("no_limits"); // Infinity
 * ```
 */
export function parseRetryLimit(value: string): number {
  const v = value.trim().toLowerCase();
  if (v === "no_limits" || v === "false" || v === "off") return Infinity;
  if (v === "no_retries") return 0;
  if (/^\d+$/.test(v)) return Number(v);
  throw new SyntaxError(
    `expected a number of retries, no_limits, false or no_retries, got ${JSON.stringify(value)}`,
  );
}

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
