/**
 * Trace-aware partitioning for outputs that spread over several endpoints or subjects:
 * key hashes ({@link chunkKeyer}), consistent placement ({@link Rendezvous}) and chunk
 * splitting that keeps the original's ack ({@link splitChunk}).
 */
export { hashBytes, hashText, mix32 } from "./hash.ts";
export { type ChunkKeyer, chunkKeyer, type PartitionKeyOptions } from "./key.ts";
export { Rendezvous } from "./rendezvous.ts";
export { type ChunkPart, splitChunk, splitRecords } from "./split.ts";
export { partitionChunk, type PartitionedPart } from "./partition_chunk.ts";
