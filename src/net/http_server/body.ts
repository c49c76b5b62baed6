/**
 * Decoding a request body: the Content-Encoding is checked against what the input accepts
 * (415 otherwise), the raw body is read with the size limit, and it is inflated with the
 * same limit on the inflated size, enforced inside the inflater (zlib's
 * `maxOutputLength`), so a compression bomb never holds more than the limit plus one
 * output step, whatever its ratio. node:zlib is loaded with the first compressed body.
 */
import type Zlib from "node:zlib";
import { errorMessage } from "../../error_message.ts";
import { nodeZlib } from "../lazy_node.ts";
import { HttpError } from "./errors.ts";
import type { HttpRequest } from "./request.ts";

/** A content coding the ingress can inflate. */
export type ContentCoding = "gzip" | "deflate" | "zstd";

/** Output step of the inflater: the most it holds beyond what it returns. */
const STEP = 64 * 1024;

/** The coding of a Content-Encoding header; "identity" when none; null when unknown. */
export function parseContentEncoding(header: string | null): ContentCoding | "identity" | null {
  const v = (header ?? "").trim().toLowerCase();
  if (v === "" || v === "identity") return "identity";
  if (v === "gzip" || v === "x-gzip") return "gzip";
  if (v === "deflate") return "deflate";
  if (v === "zstd") return "zstd";
  return null;
}

function describe(codings: readonly ContentCoding[]): string {
  return codings.length === 0 ? "none" : `${codings.join(", ")} or none`;
}

function inflateOnce(
  zlib: typeof Zlib,
  raw: Uint8Array,
  coding: ContentCoding,
  limit: number,
): Uint8Array {
  const options = { maxOutputLength: Math.max(1, limit), chunkSize: STEP };
  if (coding === "gzip") return zlib.gunzipSync(raw, options);
  if (coding === "zstd") return zlib.zstdDecompressSync(raw, options);
  // "deflate" is the zlib format (RFC 9110); some clients send raw deflate.
  try {
    return zlib.inflateSync(raw, options);
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw e;
    return zlib.inflateRawSync(raw, options);
  }
}

/**
 * Inflates `raw` to at most `limit` bytes; throws {@link HttpError} 413 above it and 400
 * for corrupt data.
 */
export async function inflate(
  raw: Uint8Array,
  coding: ContentCoding,
  limit: number,
): Promise<Uint8Array> {
  if (raw.byteLength === 0) return raw;
  const zlib = await nodeZlib();
  let out: Uint8Array;
  try {
    out = inflateOnce(zlib, raw, coding, limit);
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new HttpError(
        413,
        `Request body is larger than the limit of ${limit} bytes once inflated`,
      );
    }
    throw new HttpError(400, `Cannot inflate the ${coding} request body: ${errorMessage(e)}`);
  }
  if (out.byteLength > limit) {
    throw new HttpError(
      413,
      `Request body is larger than the limit of ${limit} bytes once inflated`,
    );
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Reads a request's body, inflated, at most `limit` bytes before and after inflating;
 * throws {@link HttpError} (415 for a coding not in `codings`, 413, 400).
 */
export async function readBody(
  request: HttpRequest,
  options: { limit: number; codings: readonly ContentCoding[] },
): Promise<Uint8Array> {
  const { limit, codings } = options;
  const header = request.headers.get("content-encoding");
  const coding = parseContentEncoding(header);
  if (coding === null || (coding !== "identity" && !codings.includes(coding))) {
    throw new HttpError(
      415,
      `Unsupported Content-Encoding "${header}": expected ${describe(codings)}`,
    );
  }
  const raw = await request.bytes(limit);
  return coding === "identity" ? raw : inflate(raw, coding, limit);
}
