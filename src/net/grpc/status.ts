/**
 * gRPC status codes (google.rpc.Code), the trailers that carry them, and which of them a
 * client retries: the OTLP/gRPC spec's retryable set (RESOURCE_EXHAUSTED only with retry
 * info from the server), everything else is permanent.
 */
import { BinaryWriter } from "@bufbuild/protobuf/wire";

/** The status codes. */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

const NAMES = Object.fromEntries(Object.entries(GrpcCode).map(([k, v]) => [v, k]));

/** The name of a status code ("UNAVAILABLE"), or the number. */
export function grpcCodeName(code: number): string {
  return NAMES[code] ?? String(code);
}

/** A failed call: its status code and message. */
export class GrpcError extends Error {
  readonly code: number;
  /** Seconds the server asked to wait (RetryInfo), when it said. */
  readonly retryAfter: number | undefined;
  constructor(code: number, message: string, retryAfter?: number) {
    super(message);
    this.name = "GrpcError";
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** The gRPC code for an HTTP status the OTLP/HTTP receiver answers. */
export function grpcCodeOfHttp(status: number): number {
  if (status < 300) return GrpcCode.OK;
  switch (status) {
    case 400:
    case 415:
      return GrpcCode.INVALID_ARGUMENT;
    case 401:
      return GrpcCode.UNAUTHENTICATED;
    case 403:
      return GrpcCode.PERMISSION_DENIED;
    case 404:
      return GrpcCode.UNIMPLEMENTED;
    case 413:
    case 429:
      return GrpcCode.RESOURCE_EXHAUSTED;
    case 503:
      return GrpcCode.UNAVAILABLE;
    default:
      return GrpcCode.INTERNAL;
  }
}

/**
 * True when an export failing with `code` may be retried (OTLP/gRPC: CANCELLED,
 * DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS, and
 * RESOURCE_EXHAUSTED when the server sent retry info).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * assertEquals(retryableCode(GrpcCode.UNAVAILABLE, false), true);
 * assertEquals(retryableCode(GrpcCode.INVALID_ARGUMENT, false), false);
 * ```
 */
export function retryableCode(code: number, retryInfo: boolean): boolean {
  switch (code) {
    case GrpcCode.CANCELLED:
    case GrpcCode.DEADLINE_EXCEEDED:
    case GrpcCode.ABORTED:
    case GrpcCode.OUT_OF_RANGE:
    case GrpcCode.UNAVAILABLE:
    case GrpcCode.DATA_LOSS:
      return true;
    case GrpcCode.RESOURCE_EXHAUSTED:
      return retryInfo;
    default:
      return false;
  }
}

/** `grpc-message` is percent-encoded outside printable ASCII (and `%`). */
export function encodeGrpcMessage(message: string): string {
  return message.replace(/[^ -$&-~]/gu, (c) => encodeURIComponent(c));
}

/** Decodes a `grpc-message` value; malformed escapes are kept as they are. */
export function decodeGrpcMessage(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * `grpc-status-details-bin` for a status with a google.rpc.RetryInfo detail asking the
 * client to wait `seconds` (the OTLP spec's way to say "throttled, come back later").
 */
export function retryInfoDetails(code: number, message: string, seconds: number): string {
  const delay = new BinaryWriter().tag(1, 0).int64(seconds).finish(); // Duration
  const info = new BinaryWriter().tag(1, 2).bytes(delay).finish(); // RetryInfo
  const any = new BinaryWriter()
    .tag(1, 2).string("type.googleapis.com/google.rpc.RetryInfo")
    .tag(2, 2).bytes(info)
    .finish();
  const status = new BinaryWriter().tag(1, 0).int32(code).tag(2, 2).string(message)
    .tag(3, 2).bytes(any).finish();
  let text = "";
  for (const b of status) text += String.fromCharCode(b);
  return btoa(text).replace(/=+$/, "");
}
