/**
 * One delivery over an {@link HttpClient}: the body compressed as configured, sent, and
 * the answer judged by a status policy. Resolves with a delivered answer; throws
 * RetryableError (with Retry-After) or PermanentError otherwise.
 */
import type { HttpAnswer, HttpClient } from "./client.ts";
import { compress } from "./compress.ts";
import { FLUENT_BIT_STATUS, responseError, snippet, type StatusPolicy } from "./status.ts";

/** One delivery request. */
export interface Delivery {
  /** The request target (path and query). */
  path: string;
  /** The uncompressed body. */
  body: Uint8Array;
  /** The `Content-Type` header value. */
  contentType: string;
  /** The HTTP method; POST when omitted. */
  method?: string;
  /** Headers of this request (a tag header). */
  headers?: Record<string, string>;
  /** Read a delivered answer's body (OTLP partial_success). */
  readBody?: boolean;
  /** Put the answer's body in the message of a failure (`log_response_payload`). */
  logPayload?: boolean;
  /** Which statuses count as delivered or retryable; Fluent Bit's rule when omitted. */
  policy?: StatusPolicy;
}

/** Sends `d` through `client`; see the module doc. */
export async function postDelivered(client: HttpClient, d: Delivery): Promise<HttpAnswer> {
  const kind = client.settings.compression;
  const body = kind ? await compress(kind, d.body) : d.body;
  const policy = d.policy ?? FLUENT_BIT_STATUS;
  const answer = await client.send({
    method: d.method,
    path: d.path,
    body,
    headers: { "Content-Type": d.contentType, ...d.headers },
    readBody: d.readBody || d.logPayload,
  });
  if (policy.delivered(answer.status)) return answer;
  const text = d.logPayload && answer.body.byteLength > 0
    ? snippet(new TextDecoder().decode(answer.body))
    : undefined;
  const retryAfter = answer.headers["retry-after"];
  throw responseError(answer.status, {
    target: client.target,
    retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    detail: text || undefined,
    policy,
  });
}
