/**
 * What Loki's answer to one push means for the records it carried, following Fluent
 * Bit's out_loki (2xx delivered, 400 refused, anything else retried) with two sluice
 * refinements: an answer that names the refused entries (out of order, too far behind,
 * per-stream rate limit) refuses or retries only those, and 401/403 (a wrong token or
 * password) is a refusal with a clear message instead of a retry loop.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const request = { tenant: undefined, body: new Uint8Array(), indexes: [0, 1], streams: [] };
 * assertEquals(judgeAnswer(request, { status: 204, body: "" }), { delivered: true });
 * assertEquals(judgeAnswer(request, { status: 503, body: "" }).retry, [0, 1]);
 * ```
 */
import { snippet } from "../../../src/net/http_client/mod.ts";
import type { LokiRequest } from "./payload.ts";
import { refusedRecords } from "./rejections.ts";

/** An answer as far as the judgement needs it. */
export interface LokiAnswer {
  status: number;
  body: string;
  /** Seconds from a Retry-After header. */
  retryAfter?: number;
}

/** The records of a request by outcome (chunk indexes). */
export interface Verdict {
  delivered?: true;
  retry?: number[];
  rejected?: { index: number; reason: string; status: number }[];
  /** One line for the log and errors. */
  message?: string;
  /** Seconds Loki asked to wait before the retry. */
  retryAfter?: number;
}

/** Judges `answer` to `request`; see the module doc. */
export function judgeAnswer(request: LokiRequest, answer: LokiAnswer): Verdict {
  const { status } = answer;
  if (status >= 200 && status <= 205) return { delivered: true };
  const text = snippet(answer.body);
  const message = `Loki answered HTTP ${status}${text ? `: ${text}` : ""}`;
  if (status === 400 || status === 429) {
    const named = refusedRecords(request, answer.body);
    if (named && status === 400) {
      return { rejected: named.map((r) => ({ ...r, status })), message };
    }
    if (named) return { retry: named.map((r) => r.index), message, retryAfter: answer.retryAfter };
  }
  if (status === 400) {
    const reason = text || "HTTP 400 (no reason given)";
    return { rejected: request.indexes.map((index) => ({ index, reason, status })), message };
  }
  if (status === 401 || status === 403) {
    const reason = `Loki refused the credentials (HTTP ${status}): check http_user/http_passwd, ` +
      `bearer_token and tenant_id${text ? `: ${text}` : ""}`;
    return {
      rejected: request.indexes.map((index) => ({ index, reason, status })),
      message: reason,
    };
  }
  return { retry: [...request.indexes], message, retryAfter: answer.retryAfter };
}
