/**
 * The opentelemetry input's HTTP answers: an Export*ServiceResponse on success, and for
 * every failure a `google.rpc.Status` (code, message) in the request's encoding, as the
 * OTLP/HTTP spec asks, or plain text when the request's encoding is not known.
 */
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import type { Signal } from "../../../src/event/chunk.ts";
import { encodeExportResponse, type OtlpFormat } from "../../../src/otlp/mod.ts";
import { staticResponse } from "../../../src/net/http_server/mod.ts";

/** Content-Type of each OTLP encoding. */
export const CONTENT_TYPES: Record<OtlpFormat, string> = {
  protobuf: "application/x-protobuf",
  json: "application/json",
};

/** gRPC status codes for the HTTP statuses the input answers (google.rpc.Code). */
const RPC_CODE: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  404: 5, // NOT_FOUND
  405: 12, // UNIMPLEMENTED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3, // INVALID_ARGUMENT
  503: 14, // UNAVAILABLE
};

/** A successful export: the configured status and an empty Export*ServiceResponse. */
export function successResponse(
  status: number,
  options: { signal: Signal; format: OtlpFormat },
): Response {
  if (status === 204) return new Response(null, { status });
  // An empty Export*ServiceResponse is no bytes in protobuf: one shared answer per status.
  if (options.format === "protobuf") return emptyProtobufSuccess(status);
  const body = encodeExportResponse({ partialSuccess: null }, options);
  return new Response(body as Uint8Array<ArrayBuffer>, {
    status,
    headers: { "content-type": CONTENT_TYPES[options.format] },
  });
}

const protobufSuccess = new Map<number, Response>();

function emptyProtobufSuccess(status: number): Response {
  let res = protobufSuccess.get(status);
  if (res === undefined) {
    res = staticResponse(status, { "content-type": CONTENT_TYPES.protobuf });
    protobufSuccess.set(status, res);
  }
  return res;
}

/** Encodes a google.rpc.Status: code = 1, message = 2 (details are never sent). */
export function encodeStatus(
  status: { code: number; message: string },
  format: OtlpFormat,
): Uint8Array {
  const { code, message } = status;
  if (format === "json") return new TextEncoder().encode(JSON.stringify({ code, message }));
  const w = new BinaryWriter();
  if (code !== 0) w.tag(1, 0).int32(code);
  if (message !== "") w.tag(2, 2).string(message);
  return w.finish();
}

/**
 * A failure: `status` with a Status body naming the problem, in `format` when the request's
 * encoding is known, else as plain text. `headers` are added (Retry-After, Allow, ...).
 */
export function errorResponse(
  status: number,
  message: string,
  options: { format?: OtlpFormat | null; headers?: Record<string, string> } = {},
): Response {
  const headers: Record<string, string> = { ...options.headers };
  const format = options.format;
  let body: Uint8Array<ArrayBuffer> | string;
  if (format) {
    body = encodeStatus({ code: RPC_CODE[status] ?? 2, message }, format) as Uint8Array<
      ArrayBuffer
    >;
    headers["content-type"] = CONTENT_TYPES[format];
  } else {
    body = message + "\n";
    headers["content-type"] = "text/plain; charset=utf-8";
  }
  return new Response(body, { status, headers });
}
