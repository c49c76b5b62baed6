/**
 * The partition key of each record of a chunk, as a 32-bit hash: a span's trace ID; for a
 * log record the value a record accessor finds (by default `trace_id`), hashed as text, or
 * the chunk's tag when the record has none; for metrics the tag. So spans and logs of one
 * trace go to one partition, and records without a trace stay together by tag.
 */
import type { Chunk } from "../../event/chunk.ts";
import { isGroupMarker } from "../../event/log_record.ts";
import { compileAccessor, valueText } from "../../event/record_accessor.ts";
import { hashBytes, hashText } from "./hash.ts";

/** How log records are keyed. */
export interface PartitionKeyOptions {
  /** Record accessor of a log record's key (`$trace_id`, `$ctx['trace']`); default `trace_id`. */
  logKey?: string;
}

/** Computes the key hash of every record of a chunk; group markers get the tag's. */
export type ChunkKeyer = (chunk: Chunk) => Uint32Array;

/**
 * A keyer for `options`; throws SyntaxError when `logKey` is not a record accessor.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * import { logChunk } from "../../testing/filter_context.ts";
 * import { hashText } from "./hash.ts";
 *
 * const keys = chunkKeyer({ logKey: "$trace_id" });
 * const got = keys(logChunk([{ trace_id: "ab" }, { msg: "no trace" }], "app"));
 * assertEquals([...got], [hashText("ab"), hashText("app")]);
 * ```
 */
export function chunkKeyer(options: PartitionKeyOptions = {}): ChunkKeyer {
  const ra = compileAccessor(options.logKey ?? "trace_id");
  return (chunk) => {
    const out = new Uint32Array(chunk.records.length);
    const tag = hashText(chunk.tag);
    switch (chunk.signal) {
      case "traces":
        for (let i = 0; i < chunk.records.length; i++) {
          const id = chunk.records[i]!.traceId;
          out[i] = id.length > 0 ? hashBytes(id) : tag;
        }
        break;
      case "logs":
        for (let i = 0; i < chunk.records.length; i++) {
          const r = chunk.records[i]!;
          out[i] = isGroupMarker(r) ? tag : logKeyHash(ra.get(r.body), tag);
        }
        break;
      case "metrics":
        out.fill(tag);
        break;
    }
    return out;
  };
}

function logKeyHash(value: unknown, fallback: number): number {
  if (value instanceof Uint8Array) return value.length > 0 ? hashBytes(value) : fallback;
  const text = valueText(value);
  return text === undefined || text.length === 0 ? fallback : hashText(text);
}
