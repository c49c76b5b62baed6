/**
 * What a Splunk HEC answer means, following Fluent Bit's out_splunk (200 delivered; 4xx
 * other than 408 and 429 refused, for HEC says retrying cannot help; the rest retried),
 * read with HEC's JSON body `{"text": "...", "code": N, "invalid-event-number": I}`.
 * HEC indexes the events of a batch in order and stops at an invalid one, so a 400 that
 * names it means: the events before it are delivered, that one is refused with HEC's
 * reason, the ones after it are sent again.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const v = judgeHec(400, '{"text":"Event field is required","code":12,"invalid-event-number":1}', 3);
 * assertEquals(v, {
 *   kind: "partial",
 *   delivered: 1,
 *   reason: "HEC refused event 1: Event field is required (code 12)",
 * });
 * assertEquals(judgeHec(403, '{"text":"Invalid token","code":4}', 3).kind, "refused");
 * ```
 */

/** The outcome for the events of one request. */
export type HecVerdict =
  | { kind: "delivered" }
  | { kind: "retry"; reason: string }
  | { kind: "refused"; reason: string }
  /** Events before `delivered` were indexed; that one is refused; the rest retried. */
  | { kind: "partial"; delivered: number; reason: string };

/** HEC's answer body, when it is the usual JSON. */
export function hecBody(text: string): { text?: string; code?: number; invalid?: number } {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    return {
      text: typeof j.text === "string" ? j.text : undefined,
      code: typeof j.code === "number" ? j.code : undefined,
      invalid: typeof j["invalid-event-number"] === "number"
        ? j["invalid-event-number"] as number
        : undefined,
    };
  } catch {
    return {};
  }
}

/** Judges an answer `status` with `body` to a request of `events` events. */
export function judgeHec(status: number, body: string, events: number): HecVerdict {
  if (status === 200) return { kind: "delivered" };
  const hec = hecBody(body);
  const said = hec.text !== undefined
    ? `${hec.text}${hec.code !== undefined ? ` (code ${hec.code})` : ""}`
    : body.trim().slice(0, 512);
  const retry = status < 400 || status >= 500 || status === 408 || status === 429;
  if (retry) return { kind: "retry", reason: `HEC answered HTTP ${status}: ${said}` };
  if (status === 401 || status === 403) {
    return {
      kind: "refused",
      reason: `HEC refused the token (HTTP ${status}): ${said}; check splunk_token or ` +
        "http_user/http_passwd",
    };
  }
  const n = hec.invalid;
  if (status === 400 && n !== undefined && Number.isInteger(n) && n >= 0 && n < events) {
    return { kind: "partial", delivered: n, reason: `HEC refused event ${n}: ${said}` };
  }
  return { kind: "refused", reason: `HEC answered HTTP ${status}: ${said}` };
}
