/**
 * Reading an OTLP/HTTP request body: streamed with a size limit (so a huge upload is cut
 * off, not buffered), then gunzipped with the same limit on the inflated size (so a gzip
 * bomb is refused too). Failures carry the HTTP status to answer.
 */
import { errorMessage } from "../../../src/error_message.ts";

/** A request body that cannot be used, with the status to answer and why. */
export class BodyError extends Error {
  /** 400, 413 or 415. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "BodyError";
    this.status = status;
  }
}

/** The Content-Encoding values the input accepts, normalised; null for unsupported ones. */
export function contentEncoding(header: string | null): "identity" | "gzip" | null {
  const v = (header ?? "").trim().toLowerCase();
  if (v === "" || v === "identity") return "identity";
  if (v === "gzip" || v === "x-gzip") return "gzip";
  return null;
}

function tooLarge(limit: number): BodyError {
  return new BodyError(413, `Request body is larger than the limit of ${limit} bytes`);
}

async function readLimited(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  onOver: () => BodyError,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw onOver();
      }
      parts.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * The request's body bytes, decompressed, at most `limit` bytes at every step; throws
 * {@link BodyError} (413 too large, 400 unreadable or corrupt gzip).
 */
export async function readBody(
  request: Request,
  options: { limit: number; encoding: "identity" | "gzip" },
): Promise<Uint8Array> {
  const { limit, encoding } = options;
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (request.body === null) return new Uint8Array(0);
  let raw: Uint8Array;
  try {
    // With a declared length within the limit (HTTP/1.1 enforces it), one native read is
    // cheaper than pulling the stream chunk by chunk.
    raw = Number.isFinite(declared) && request.headers.has("content-length")
      ? await request.bytes()
      : await readLimited(request.body, limit, () => tooLarge(limit));
    if (raw.byteLength > limit) throw tooLarge(limit);
  } catch (e) {
    if (e instanceof BodyError) throw e;
    throw new BodyError(400, `Cannot read the request body: ${errorMessage(e)}`);
  }
  if (encoding === "identity") return raw;
  if (raw.byteLength === 0) return raw;
  try {
    const inflated = new Blob([raw as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
      new DecompressionStream("gzip"),
    );
    return await readLimited(
      inflated,
      limit,
      () =>
        new BodyError(413, `Request body is larger than the limit of ${limit} bytes once inflated`),
    );
  } catch (e) {
    if (e instanceof BodyError) throw e;
    throw new BodyError(400, `Cannot gunzip the request body: ${errorMessage(e)}`);
  }
}
