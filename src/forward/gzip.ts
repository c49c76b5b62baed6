/**
 * Gzip for CompressedPackedForward. Decompression reads every member of a multi-member
 * stream (Fluent Bit and Fluentd may concatenate several) and stops with a ForwardError
 * once the output passes `maxBytes`, so a small "gzip bomb" cannot exhaust memory.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { ForwardError } from "./errors.ts";

/** Whether `b` starts with the gzip magic bytes 1f 8b. */
export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/**
 * The decompressed bytes of one or more concatenated gzip members.
 *
 * @example
 * ```ts
 * gunzip(gzip(new Uint8Array([1, 2])), { maxBytes: 10 }); // Uint8Array [1, 2]
 * ```
 */
export function gunzip(data: Uint8Array, options: { maxBytes: number }): Uint8Array {
  try {
    const out = gunzipSync(data, { maxOutputLength: Math.max(1, options.maxBytes) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) {
      throw new ForwardError(
        "too_large",
        `Cannot decompress forward payload: it expands past ${options.maxBytes} bytes`,
      );
    }
    throw new ForwardError(
      "bad_gzip",
      `Cannot decompress forward payload: ${(e as Error).message}`,
      { cause: e },
    );
  }
}

/** Gzip-compresses `data` (one member). */
export function gzip(data: Uint8Array): Uint8Array {
  const out = gzipSync(data);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
