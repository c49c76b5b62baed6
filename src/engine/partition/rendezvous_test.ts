import { assert, assertEquals, assertThrows } from "../../testing/assert.ts";
import { hashBytes } from "./hash.ts";
import { Rendezvous } from "./rendezvous.ts";

/** 100k trace IDs from a fixed-seed generator (xorshift), as 16 random bytes each. */
function traceHashes(count: number): Uint32Array {
  let x = 0x2545f491;
  const out = new Uint32Array(count);
  const id = new Uint8Array(16);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < 16; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      id[i] = x & 0xff;
      id[i + 1] = (x >>> 8) & 0xff;
      id[i + 2] = (x >>> 16) & 0xff;
      id[i + 3] = (x >>> 24) & 0xff;
    }
    out[n] = hashBytes(id);
  }
  return out;
}

const N = 100_000;
const keys = traceHashes(N);

function placeAll(r: Rendezvous): string[] {
  return Array.from(keys, (k) => r.nodes[r.pick(k)]!);
}

Deno.test("Rendezvous spreads 100k trace IDs evenly over 3, 5 and 16 nodes", () => {
  for (const n of [3, 5, 16]) {
    const nodes = Array.from({ length: n }, (_, i) => `aggregator-${i}:4317`);
    const counts = new Map<string, number>();
    for (const node of placeAll(new Rendezvous(nodes))) {
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    const fair = N / n;
    const worst = Math.max(...[...counts.values()].map((c) => Math.abs(c - fair) / fair));
    // The binomial spread is sqrt(fair) (about 0.5% of 33k); 5% would be a biased hash.
    assert(counts.size === n && worst < 0.05, `${n} nodes: worst deviation ${worst}`);
  }
});

Deno.test("Rendezvous: a node leaving moves only its own keys, spread over the rest", () => {
  const four = new Rendezvous(["0", "1", "2", "3"]);
  const three = new Rendezvous(["0", "1", "3"]);
  const before = placeAll(four);
  const after = placeAll(three);
  let moved = 0;
  const took = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    if (before[i] === after[i]) continue;
    assertEquals(before[i], "2"); // nobody else's key moves
    moved++;
    took.set(after[i]!, (took.get(after[i]!) ?? 0) + 1);
  }
  assertEquals(moved, before.filter((n) => n === "2").length);
  for (const c of took.values()) assert(Math.abs(c - moved / 3) / (moved / 3) < 0.08);
});

Deno.test("Rendezvous: a node joining takes about 1/n, from every node alike", () => {
  const before = placeAll(new Rendezvous(["a", "b", "c"]));
  const after = placeAll(new Rendezvous(["a", "b", "c", "d"]));
  let moved = 0;
  for (let i = 0; i < N; i++) {
    if (before[i] === after[i]) continue;
    assertEquals(after[i], "d"); // keys only move to the new node
    moved++;
  }
  assert(Math.abs(moved - N / 4) / (N / 4) < 0.05, `moved ${moved} of ${N}`);
});

Deno.test("Rendezvous: node order does not change placement; pickUp is the placement without the down node", () => {
  const a = new Rendezvous(["x", "y", "z"]);
  const b = new Rendezvous(["z", "x", "y"]);
  const without = new Rendezvous(["x", "z"]);
  for (let i = 0; i < 2000; i++) {
    const k = keys[i]!;
    assertEquals(a.nodes[a.pick(k)], b.nodes[b.pick(k)]);
    assertEquals(a.nodes[a.pickUp(k, (n) => a.nodes[n] !== "y")], without.nodes[without.pick(k)]);
    assertEquals(a.ranked(k)[0], a.pick(k));
  }
  assertEquals(a.pickUp(keys[0]!, () => false), -1);
});

Deno.test("Rendezvous refuses no nodes and repeated nodes", () => {
  assertThrows(() => new Rendezvous([]), RangeError);
  assertThrows(() => new Rendezvous(["a", "a"]), RangeError, "repeated");
});
