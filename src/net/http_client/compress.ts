/**
 * Request body compression: gzip and zstd (node:zlib, off the main thread). Fluent Bit's
 * `snappy` has no implementation in the runtime, so it is refused when the output starts.
 */
import { nodeZlib } from "../lazy_node.ts";

/** A compression an HTTP client can apply. */
export type Compression = "gzip" | "zstd";

/** The `compress` option as a compression, or undefined for none; RangeError for snappy. */
export function parseCompression(
  value: string | undefined,
  allowed: readonly Compression[] = ["gzip", "zstd"],
): Compression | undefined {
  if (value === undefined || value === "" || value.toLowerCase() === "none") return undefined;
  const v = value.toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as Compression;
  throw new RangeError(
    `Cannot use "compress" ${JSON.stringify(value)}: expected ${allowed.join(" or ")}` +
      (v === "snappy" ? " (snappy is not supported by sluice)" : ""),
  );
}

/** `bytes` compressed with `kind`. */
export async function compress(kind: Compression, bytes: Uint8Array): Promise<Uint8Array> {
  const zlib = await nodeZlib();
  return await new Promise((resolve, reject) => {
    const done = (err: Error | null, out: Uint8Array) => err ? reject(err) : resolve(out);
    if (kind === "gzip") zlib.gzip(bytes, done);
    else zlib.zstdCompress(bytes, done);
  });
}
