import { assertEquals } from "../testing/assert.ts";
import { logChunk } from "../testing/filter_context.ts";
import type { Chunk, MetricChunk } from "../event/chunk.ts";
import { EmitterHub } from "./emitter.ts";
import type { MetricRecord } from "../event/metric.ts";
import { emptyResource, emptyScope } from "../event/span.ts";

const opts = (name: string) => ({ name, memBufLimit: 0, storageType: "memory" as const });

/** Pulls `it` until it ends, handing each chunk to `onChunk`; returns the tags pulled. */
async function pullAll(it: AsyncIterable<Chunk>, onChunk: (c: Chunk) => void = () => {}) {
  const tags: string[] = [];
  for await (const c of it) {
    tags.push(c.tag);
    onChunk(c);
  }
  return tags;
}

Deno.test("EmitterHub: emitters end once closed and idle; a late emit is refused", async () => {
  const hub = new EmitterHub();
  const em = hub.open(opts("e"));
  const from = logChunk([{ a: 1 }], "t");
  em.emit(from, "x", from.records);
  const pulled = pullAll(hub.emitters[0]!.chunks());
  await new Promise((r) => setTimeout(r, 0));
  hub.close();
  assertEquals(await pulled, ["x"]);
  assertEquals(em.emit(from, "late", from.records), false);
});

Deno.test("EmitterHub: an emitter waits while another still passes chunks that emit into it", async () => {
  const hub = new EmitterHub();
  const a = hub.open(opts("a"));
  const b = hub.open(opts("b"));
  const [ia, ib] = hub.emitters;
  const from = logChunk([{ a: 1 }], "t");
  a.emit(from, "to_a", from.records);
  hub.close(); // every ordinary input has ended, but a's chunk is still to come
  // Chunks a passes on emit into b (a filter downstream of a): b must not end before a.
  const pa = pullAll(
    ia!.chunks(),
    (c) => c.signal === "logs" && b.emit(c, `via_${c.tag}`, c.records),
  );
  const pb = pullAll(ib!.chunks());
  assertEquals(await pa, ["to_a"]);
  assertEquals(await pb, ["via_to_a"]);
  assertEquals(from.ack.settled, false, "the original waits for its copies");
});

Deno.test("EmitterHub: lineage names every emitter a record came through", () => {
  const hub = new EmitterHub(["tail.0"]);
  const a = hub.open(opts("a"));
  const b = hub.open(opts("b"));
  const from = logChunk([{ a: 1 }], "t");
  a.emit(from, "x", from.records);
  const [viaA] = hub.emitters[0]!.drain();
  b.emit(viaA!, "y", viaA!.records);
  const [viaB] = hub.emitters[1]!.drain();
  assertEquals([a.emitted(viaB!), b.emitted(viaB!), b.emitted(viaA!), a.emitted(from)], [
    true,
    true,
    false,
    false,
  ]);
  assertEquals(hub.lineageOf(viaB!.ack), ["a", "b"]);
});

Deno.test("EmitterHub: emitMetrics queues a metrics chunk; onClose runs once before the end", async () => {
  const hub = new EmitterHub();
  let closes = 0;
  const em = hub.open({
    ...opts("m"),
    onClose: () => {
      closes++;
      em.emitMetrics(undefined, "final", [metric("last")]);
    },
  });
  const from = logChunk([{ a: 1 }], "t");
  em.emitMetrics(from, "m", [metric("first")]);
  from.ack.release();
  const got: Chunk[] = [];
  const pulled = pullAll(hub.emitters[0]!.chunks(), (c) => got.push(c));
  await new Promise((r) => setTimeout(r, 0));
  hub.close();
  hub.close();
  assertEquals(await pulled, ["m", "final"]);
  assertEquals([closes, got.map((c) => c.signal), from.ack.settled], [
    1,
    ["metrics", "metrics"],
    false,
  ]);
  for (const c of got) c.ack.release();
  await from.ack.done;
});

function metric(name: string): MetricRecord {
  return {
    resource: emptyResource(),
    scope: emptyScope(),
    name,
    description: "",
    unit: "",
    metadata: {},
    data: { gauge: { dataPoints: [] } },
  };
}

Deno.test("EmitterHub: a metrics snapshot not yet taken is replaced by the next under its tag, acks kept", async () => {
  const hub = new EmitterHub();
  const em = hub.open(opts("m"));
  const a = logChunk([{ a: 1 }], "t");
  const b = logChunk([{ b: 1 }], "t");
  em.emitMetrics(a, "m", [metric("v1")]);
  em.emitMetrics(b, "m", [metric("v2")]);
  em.emitMetrics(undefined, "other", [metric("o")]);
  a.ack.release();
  b.ack.release();
  const queued = hub.emitters[0]!.drain<MetricChunk>();
  assertEquals(queued.map((c) => [c.tag, c.records[0]!.name]), [["m", "v2"], ["other", "o"]]);
  assertEquals([a.ack.settled, b.ack.settled], [false, false]);
  queued[0]!.ack.release();
  await Promise.all([a.ack.done, b.ack.done]);
});
