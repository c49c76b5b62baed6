import { Ack } from "../event/ack.ts";
import type { Chunk } from "../event/chunk.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { IngressQueue } from "./ingress_queue.ts";

function chunk(tag: string): Chunk {
  return { signal: "logs", tag, records: [], bytes: 10, ack: new Ack(), input: "i" };
}

Deno.test("IngressQueue settles a request once its last chunk is handed over", async () => {
  const q = new IngressQueue({ events: 10, bytes: 1000 });
  let settled: boolean | undefined;
  q.offer([chunk("a"), chunk("b")], 20)!.then((v) => (settled = v));
  const it = q.take();
  assertEquals((await it.next()).value?.tag, "a");
  await Promise.resolve();
  assertEquals(settled, undefined, "not after the first of two chunks");
  assertEquals((await it.next()).value?.tag, "b");
  await Promise.resolve();
  assertEquals(settled, true);
  q.close();
  assert((await it.next()).done);
});

Deno.test("IngressQueue refuses when full or closed, and refuses waiting requests on close", async () => {
  const q = new IngressQueue({ events: 1, bytes: 1000 });
  const first = q.offer([chunk("a")], 10)!;
  assertEquals(q.offer([chunk("b")], 10), null, "one request at most");
  q.close();
  assertEquals(await first, false);
  assertEquals(q.offer([chunk("c")], 10), null);
  const bytes = new IngressQueue({ events: 10, bytes: 15 });
  assert(bytes.offer([chunk("a")], 10) !== null);
  assertEquals(bytes.offer([chunk("b")], 10), null, "over the byte limit");
  bytes.close();
});

Deno.test("IngressQueue refuses the rest of a request when the engine stops mid-request", async () => {
  const q = new IngressQueue({ events: 10, bytes: 1000 });
  const settled = q.offer([chunk("a"), chunk("b")], 20)!;
  const it = q.take();
  await it.next();
  await it.return(undefined);
  assertEquals(await settled, false);
  assert(q.closed);
});

Deno.test("IngressQueue.put waits for room instead of refusing, and gives up on close", async () => {
  const q = new IngressQueue({ events: Number.POSITIVE_INFINITY, bytes: 15 });
  const first = q.put([chunk("a")], 10);
  const second = q.put([chunk("b")], 10);
  await Promise.resolve();
  assertEquals(q.length, 1, "the second waits: 20 bytes would pass the limit of 15");
  const it = q.take();
  assertEquals((await it.next()).value?.tag, "a");
  assertEquals(await first, true);
  assertEquals((await it.next()).value?.tag, "b", "room made by taking the first");
  const third = q.put([chunk("c")], 10);
  const fourth = q.put([chunk("d")], 10);
  q.close();
  assertEquals([await second, await third, await fourth], [true, false, false]);
  assert((await it.next()).done);
});

function spans(tag: string, n: number, input = "i"): Chunk {
  const records = Array.from({ length: n }, (_, i) => ({ name: `${tag}${i}` })) as never[];
  return { signal: "traces", tag, records, bytes: 10 * n, ack: new Ack(), input };
}

Deno.test("IngressQueue with merge hands requests that queued up over as one chunk, each answered", async () => {
  const q = new IngressQueue({ events: 10, bytes: 1000, merge: true });
  const settled: (boolean | undefined)[] = [];
  const offers = [spans("a", 2), spans("a", 1), spans("a", 3)].map((c, i) => {
    q.offer([c], 10)!.then((v) => (settled[i] = v));
    return c;
  });
  const other = q.offer([spans("b", 1)], 10)!;
  const it = q.take();
  const first = (await it.next()).value!;
  assertEquals((first.records as unknown[]).map((r) => (r as { name: string }).name), [
    "a0",
    "a1",
    "a0",
    "a0",
    "a1",
    "a2",
  ]);
  assertEquals([first.tag, first.bytes, first.ack], ["a", 60, offers[0]!.ack]);
  await Promise.resolve();
  assertEquals(settled, [true, true, true]);
  assertEquals(q.length, 1, "another tag is not merged in");
  assertEquals((await it.next()).value?.tag, "b");
  assertEquals(await other, true);
  q.close();
  assert((await it.next()).done);
});

Deno.test("IngressQueue with merge keeps multi-chunk requests, other inputs and the size bound apart", async () => {
  const q = new IngressQueue({ events: 10, bytes: Number.POSITIVE_INFINITY, merge: true });
  const two = q.offer([spans("a", 1), spans("a", 1)], 10)!;
  q.offer([spans("a", 1)], 10);
  q.offer([spans("a", 1, "j")], 10);
  const big = spans("a", 1);
  big.bytes = 2_048_000;
  q.offer([big], 10);
  const it = q.take();
  const lengths: number[] = [];
  for (let i = 0; i < 5; i++) lengths.push((await it.next()).value!.records.length);
  assertEquals(lengths, [1, 1, 1, 1, 1]);
  assertEquals(await two, true);
  q.close();
});

Deno.test("IngressQueue without merge hands over one request at a time", async () => {
  const q = new IngressQueue({ events: 10, bytes: 1000 });
  q.offer([spans("a", 1)], 10);
  q.offer([spans("a", 1)], 10);
  const it = q.take();
  assertEquals((await it.next()).value?.records.length, 1);
  assertEquals(q.length, 1);
  q.close();
});
