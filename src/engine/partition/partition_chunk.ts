/**
 * A chunk split by placement: each record keyed, placed on a node, and the chunk cut into
 * one part per node, the parts holding the original's ack.
 */
import type { Chunk } from "../../event/chunk.ts";
import type { ChunkKeyer } from "./key.ts";
import type { Rendezvous } from "./rendezvous.ts";
import { type ChunkPart, splitChunk } from "./split.ts";

/** A part of a partitioned chunk; `partition` indexes the placement's nodes. */
export type PartitionedPart<C extends Chunk = Chunk> = ChunkPart<C>;

/**
 * Splits `chunk` over `placement`'s nodes by `keyer`'s hashes. With `up`, a key whose node
 * is down goes to its next choice among the nodes up (rendezvous failover); when none is up
 * it stays on its own node.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * import { hexSpan } from "../../testing/spans.ts";
 * import { Ack } from "../../event/ack.ts";
 * import type { TraceChunk } from "../../event/chunk.ts";
 * import { chunkKeyer } from "./key.ts";
 * import { Rendezvous } from "./rendezvous.ts";
 *
 * const t = "4bf92f3577b34da6a3ce929d0e0e4736";
 * const spans = [hexSpan(t, "00f067aa0ba902b7"), hexSpan(t, "00f067aa0ba902b8")];
 * const chunk: TraceChunk = {
 *   signal: "traces", tag: "t", bytes: 10, ack: new Ack(), input: "x", records: spans,
 * };
 * const parts = partitionChunk(chunk, { keyer: chunkKeyer(), placement: new Rendezvous(["0", "1"]) });
 * assertEquals(parts.length, 1); // one trace, one partition
 * ```
 */
export function partitionChunk<C extends Chunk>(
  chunk: C,
  options: { keyer: ChunkKeyer; placement: Rendezvous; up?: (node: number) => boolean },
): PartitionedPart<C>[] {
  const keys = options.keyer(chunk);
  const { placement, up } = options;
  const nodeOf = up
    ? (i: number) => {
      const k = keys[i]!;
      const n = placement.pickUp(k, up);
      return n >= 0 ? n : placement.pick(k);
    }
    : (i: number) => placement.pick(keys[i]!);
  return splitChunk(chunk, nodeOf);
}
