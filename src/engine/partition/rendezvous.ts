/**
 * Consistent placement of keys on nodes by rendezvous (highest random weight) hashing: each
 * node scores a key by mixing the key's hash with the node's own, and the highest score wins.
 * A node that leaves gives away exactly its own keys, spread evenly over the others; a node
 * that joins takes about 1/n of the keys, a fair share from each. No ring, no virtual nodes:
 * the balance is that of the hash itself. A lookup costs one mix per node, which suits the
 * few to some dozens of endpoints or partitions an output spreads over.
 */
import { hashText, mix32 } from "./hash.ts";

/**
 * Places 32-bit key hashes on a fixed list of named nodes (endpoints, or partition numbers).
 * A node's weight depends only on its name, so two agents with the same node names (in any
 * order) place every key alike.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * import { hashText } from "./hash.ts";
 *
 * const three = new Rendezvous(["a:4317", "b:4317", "c:4317"]);
 * const key = hashText("4bf92f3577b34da6a3ce929d0e0e4736");
 * const home = three.pick(key);
 * // Without another node, a key stays where it was unless its own node left:
 * const others = three.nodes.filter((n) => n !== three.nodes[home]);
 * const two = new Rendezvous(others);
 * assertEquals(two.nodes[two.pick(key)], three.nodes[three.pickUp(key, (i) => i !== home)]);
 * ```
 */
export class Rendezvous {
  /** The node names, in the order given. */
  readonly nodes: readonly string[];
  #seeds: Uint32Array;

  /** `nodes`: distinct names; throws RangeError when empty or repeated. */
  constructor(nodes: readonly string[]) {
    if (nodes.length === 0) throw new RangeError("Cannot partition over no nodes");
    if (new Set(nodes).size !== nodes.length) {
      throw new RangeError(`Cannot partition over repeated nodes: ${JSON.stringify(nodes)}`);
    }
    this.nodes = [...nodes];
    this.#seeds = Uint32Array.from(nodes, (n) => hashText(n));
  }

  /** The index of the node `keyHash` belongs to. */
  pick(keyHash: number): number {
    const seeds = this.#seeds;
    let best = 0;
    let top = -1;
    for (let i = 0; i < seeds.length; i++) {
      const s = score(keyHash, seeds[i]!);
      if (s > top || (s === top && this.nodes[i]! < this.nodes[best]!)) {
        top = s;
        best = i;
      }
    }
    return best;
  }

  /**
   * The index of the best node for `keyHash` that `up(index)` accepts: when a key's node is
   * down, its keys go to their second choice, the node they would have on a ring without it.
   * -1 when no node is up.
   */
  pickUp(keyHash: number, up: (index: number) => boolean): number {
    const seeds = this.#seeds;
    let best = -1;
    let top = -1;
    for (let i = 0; i < seeds.length; i++) {
      if (!up(i)) continue;
      const s = score(keyHash, seeds[i]!);
      if (s > top || (s === top && this.nodes[i]! < this.nodes[best]!)) {
        top = s;
        best = i;
      }
    }
    return best;
  }

  /** Node indexes from the best choice for `keyHash` to the worst (a failover order). */
  ranked(keyHash: number): number[] {
    const scores = Array.from(this.#seeds, (seed) => score(keyHash, seed));
    return this.nodes.map((_, i) => i).sort((a, b) =>
      scores[b]! - scores[a]! || (this.nodes[a]! < this.nodes[b]! ? -1 : 1)
    );
  }
}

function score(keyHash: number, seed: number): number {
  return mix32(Math.imul((keyHash ^ seed) >>> 0, 0x9e3779b1) ^ seed);
}
