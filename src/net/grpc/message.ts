/**
 * gRPC's length-prefixed messages (one byte compressed flag, four bytes length, then the
 * message): framing, and reading a unary request's one message with the ingress limits: a
 * declared length over the limit is refused before its bytes arrive, a compressed message
 * is inflated with the same limit held inside the inflater (a bomb never grows past it).
 */
import { HttpError, inflate } from "../http_server/mod.ts";
import { GrpcCode, GrpcError } from "./status.ts";

/** A message with its 5-byte prefix. */
export function frameMessage(message: Uint8Array, compressed = false): Uint8Array {
  const out = new Uint8Array(5 + message.length);
  out[0] = compressed ? 1 : 0;
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, 5);
  return out;
}

/** The declared length of the message starting `bytes`, or -1 when fewer than 5 bytes. */
export function declaredLength(bytes: Uint8Array): number {
  if (bytes.length < 5) return -1;
  return new DataView(bytes.buffer, bytes.byteOffset, 5).getUint32(1);
}

/** How a request's one message is read. */
export interface ReadMessageOptions {
  /** Largest message, before and after inflating. */
  limit: number;
  /** The request's `grpc-encoding` ("identity" or absent when not compressed). */
  encoding: string | undefined;
}

/**
 * The one message of a unary call's body (all its DATA bytes), inflated when flagged.
 * Throws GrpcError: INVALID_ARGUMENT for a malformed body, RESOURCE_EXHAUSTED over the
 * limit, UNIMPLEMENTED for an unknown encoding.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * const body = frameMessage(new Uint8Array([1, 2, 3]));
 * assertEquals(
 *   await readMessage(body, { limit: 10, encoding: undefined }),
 *   new Uint8Array([1, 2, 3]),
 * );
 * ```
 */
export async function readMessage(
  body: Uint8Array,
  options: ReadMessageOptions,
): Promise<Uint8Array> {
  if (body.length < 5) {
    throw new GrpcError(
      GrpcCode.INVALID_ARGUMENT,
      `The request has ${body.length} bytes: a gRPC message needs a 5-byte prefix`,
    );
  }
  const flag = body[0]!;
  const length = declaredLength(body);
  if (length > options.limit) {
    throw new GrpcError(
      GrpcCode.RESOURCE_EXHAUSTED,
      `The message of ${length} bytes is larger than the limit of ${options.limit} bytes`,
    );
  }
  if (flag > 1) {
    throw new GrpcError(
      GrpcCode.INVALID_ARGUMENT,
      `Bad compressed flag ${flag} in the message prefix`,
    );
  }
  if (body.length !== 5 + length) {
    throw new GrpcError(
      GrpcCode.INVALID_ARGUMENT,
      body.length < 5 + length
        ? `The message is cut short: ${body.length - 5} of ${length} bytes`
        : "A unary request carries more than one message",
    );
  }
  const message = body.subarray(5);
  if (flag === 0) return message;
  const encoding = (options.encoding ?? "identity").trim().toLowerCase();
  // zlib is deflate's zlib format, which the deflate inflater reads (raw deflate too).
  const coding = encoding === "zlib" ? "deflate" : encoding;
  if (coding !== "gzip" && coding !== "deflate" && coding !== "zstd") {
    throw new GrpcError(
      GrpcCode.UNIMPLEMENTED,
      `A compressed message with grpc-encoding "${encoding}": expected gzip, zstd, deflate or zlib`,
    );
  }
  try {
    return await inflate(message, coding, options.limit);
  } catch (e) {
    if (e instanceof HttpError && e.status === 413) {
      throw new GrpcError(GrpcCode.RESOURCE_EXHAUSTED, e.message);
    }
    throw new GrpcError(
      GrpcCode.INVALID_ARGUMENT,
      `Cannot inflate the ${encoding} message: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
