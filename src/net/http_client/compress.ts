/**
 * Request body compression: gzip and zstd (node:zlib, off the main thread), and snappy's block
 * format (npm snappyjs, pure JS) for the outputs whose protocol names it (Prometheus remote
 * write); an output that does not offer snappy refuses it when it starts.
 */
import { nodeZlib } from "../lazy_node.ts";
// @ts-types="npm:@types/snappyjs@0.7.1"
import snappy from "snappyjs";

/** A compression an HTTP client can apply. */
export type Compression = "gzip" | "zstd" | "snappy";

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
      (v === "snappy" ? " (this output does not offer snappy)" : ""),
  );
}

/** `bytes` compressed with `kind`. */
export async function compress(kind: Compression, bytes: Uint8Array): Promise<Uint8Array> {
  if (kind === "snappy") return snappyBlock(bytes);
  const zlib = await nodeZlib();
  return await new Promise((resolve, reject) => {
    const done = (err: Error | null, out: Uint8Array) => err ? reject(err) : resolve(out);
    if (kind === "gzip") zlib.gzip(bytes, done);
    else zlib.zstdCompress(bytes, done);
  });
}

/** `bytes` in snappy's block format (no framing), as Prometheus remote write sends it. */
export function snappyBlock(bytes: Uint8Array): Uint8Array {
  return snappy.compress(bytes);
}

/** The bytes of snappy block `bytes`; throws on a corrupt block. */
export function unsnappyBlock(bytes: Uint8Array): Uint8Array {
  return snappy.uncompress(bytes);
}
