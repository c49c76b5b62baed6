/**
 * What an AWS error answer means: its code (JSON `__type`, XML `<Code>`, or the
 * `x-amzn-ErrorType` header) and message, and whether retrying can help. Credentials that
 * expired are refreshed and retried; a wrong key or a missing permission is a permanent
 * error that says so, never a retry loop.
 */
import { PermanentError, RetryableError } from "../../engine/errors.ts";
import type { HttpAnswer } from "../http_client/client.ts";
import { parseRetryAfter, snippet } from "../http_client/status.ts";

/** An AWS error answer, read. */
export interface AwsError {
  /** The HTTP status. */
  status: number;
  /** AWS's error code (`ThrottlingException`), or `HTTP <status>` when none was given. */
  code: string;
  /** AWS's message, or the body's start. */
  message: string;
}

/** Codes that mean the credentials expired: refresh them and send again. */
export const EXPIRED_CODES: ReadonlySet<string> = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "TokenRefreshRequired",
]);

/** Codes that mean the key is wrong or unknown: permanent, after one refresh. */
export const BAD_KEY_CODES: ReadonlySet<string> = new Set([
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidAccessKeyId",
  "IncompleteSignature",
  "IncompleteSignatureException",
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
  "InvalidToken",
]);

/** Codes that mean the key may not do this: permanent. */
export const DENIED_CODES: ReadonlySet<string> = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
]);

/** Codes worth a retry whatever their status. */
export const THROTTLE_CODES: ReadonlySet<string> = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "SlowDown",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalFailure",
  "InternalError",
  "RequestTimeout",
  "RequestTimeoutException",
  "LimitExceededException",
]);

function header(answer: HttpAnswer, name: string): string | undefined {
  const v = answer.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The code and message of an error answer.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const body = new TextEncoder().encode(
 *   '{"__type":"com.amazonaws.logs#ResourceNotFoundException","message":"no group"}',
 * );
 * assertEquals(readAwsError({ status: 400, headers: {}, body }), {
 *   status: 400,
 *   code: "ResourceNotFoundException",
 *   message: "no group",
 * });
 * ```
 */
export function readAwsError(answer: HttpAnswer): AwsError {
  const text = new TextDecoder().decode(answer.body);
  let code: string | undefined;
  let message: string | undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    try {
      const doc = JSON.parse(trimmed) as Record<string, unknown>;
      const type = doc.__type ?? doc.code ?? doc.Code;
      if (typeof type === "string") code = type;
      const msg = doc.message ?? doc.Message;
      if (typeof msg === "string") message = msg;
    } catch { /* not JSON after all */ }
  } else if (trimmed.startsWith("<")) {
    code = /<Code>([^<]*)<\/Code>/.exec(trimmed)?.[1];
    message = /<Message>([^<]*)<\/Message>/.exec(trimmed)?.[1];
  }
  code ??= header(answer, "x-amzn-errortype");
  // `com.amazonaws.logs#Code` and `Code:http://...` both carry the code as one part.
  code = code?.split("#").pop()?.split(":")[0];
  return {
    status: answer.status,
    code: code || `HTTP ${answer.status}`,
    message: message ?? snippet(text, 300),
  };
}

/**
 * The error a failed AWS call becomes: RetryableError for throttling, 5xx, 429 and expired
 * credentials (with the answer's Retry-After); PermanentError for a wrong key, a refused
 * permission and every other 4xx. `what` names the call (`PutLogEvents to logs...`).
 */
export function awsCallError(
  err: AwsError,
  what: string,
  answer?: HttpAnswer,
): PermanentError | RetryableError {
  const text = `${what} failed: ${err.code}: ${err.message}`;
  if (BAD_KEY_CODES.has(err.code)) {
    return new PermanentError(
      `${text} (the AWS key is wrong or unknown: check the access key id and secret key ` +
        `of the credentials in use)`,
      { status: err.status },
    );
  }
  if (DENIED_CODES.has(err.code)) {
    return new PermanentError(`${text} (the credentials lack the IAM permission)`, {
      status: err.status,
    });
  }
  const retryAfter = answer ? parseRetryAfter(header(answer, "retry-after")) : undefined;
  if (
    EXPIRED_CODES.has(err.code) || THROTTLE_CODES.has(err.code) || err.status >= 500 ||
    err.status === 429 || err.status === 408
  ) {
    return new RetryableError(text, { status: err.status, retryAfter });
  }
  return new PermanentError(text, { status: err.status });
}
