/**
 * One OTLP/HTTP export request over the shared HTTP client and the OTLP spec's verdict
 * on its answer: 2xx delivered (its `partial_success` returned), 429/502/503/504 and
 * network failures retryable (with the peer's Retry-After), every other status permanent.
 */
import type { Signal } from "../../../src/event/chunk.ts";
import { type HttpClient, OTLP_STATUS, postDelivered } from "../../../src/net/http_client/mod.ts";
import {
  decodeExportResponse,
  type ExportPartialSuccess,
  type OtlpFormat,
} from "../../../src/otlp/mod.ts";

const CONTENT_TYPE: Record<OtlpFormat, string> = {
  protobuf: "application/x-protobuf",
  json: "application/json",
};

/** What an export needs besides the body. */
export interface ExportTarget {
  client: HttpClient;
  path: string;
  format: OtlpFormat;
  signal: Signal;
  /** Include the answer's body in error messages (`log_response_payload`). */
  logPayload: boolean;
}

/**
 * Posts one export request; resolves with the answer's partial success (null when none),
 * throws RetryableError or PermanentError.
 */
export async function exportRequest(
  body: Uint8Array,
  to: ExportTarget,
): Promise<ExportPartialSuccess | null> {
  const answer = await postDelivered(to.client, {
    path: to.path,
    body,
    contentType: CONTENT_TYPE[to.format],
    readBody: true,
    logPayload: to.logPayload,
    policy: OTLP_STATUS,
  });
  return partialSuccess(answer.body, { signal: to.signal, format: to.format });
}

function partialSuccess(
  answer: Uint8Array,
  options: { signal: Signal; format: OtlpFormat },
): ExportPartialSuccess | null {
  if (answer.byteLength === 0) return null;
  try {
    return decodeExportResponse(answer, options).partialSuccess;
  } catch {
    return null; // not an Export*ServiceResponse (a proxy's page): the status said success
  }
}
