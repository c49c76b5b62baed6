/**
 * What a remote-write answer means, as the Prometheus remote write spec says: any 2xx is
 * written; 5xx and 429 are worth a retry (honouring Retry-After); any other 4xx is a
 * refusal that retrying cannot fix. (Fluent Bit retries every status but 200-205 and 400.)
 */
import type { StatusPolicy } from "../../../src/net/http_client/mod.ts";

/**
 * The remote write status rule.
 *
 * @example
 * ```ts
 * import { classifyStatus } from "../../../src/net/http_client/mod.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(
 *   [204, 400, 404, 429, 500, 503].map((s) => classifyStatus(s, REMOTE_WRITE_STATUS)),
 *   ["delivered", "permanent", "permanent", "retryable", "retryable", "retryable"],
 * );
 * ```
 */
export const REMOTE_WRITE_STATUS: StatusPolicy = {
  delivered: (s) => s >= 200 && s < 300,
  retryable: (s) => s >= 500 || s === 429 || s === 408 || s < 200 || (s >= 300 && s < 400),
};
