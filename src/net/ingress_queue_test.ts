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
