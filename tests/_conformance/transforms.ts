/**
 * The conformance run of a filter or processor, per signal it takes: created with its
 * example's values, wrapped by the engine's `transformStage`, fed its samples (one chunk
 * per record, then one chunk of them all) with counting acks, closed twice. Then the
 * accounting: each source ack settles exactly once, either dropped by the stage or after
 * the chunks carrying its records were released downstream.
 */
import { transformStage } from "../../src/engine/stages.ts";
import type { Chunk, Signal } from "../../src/event/chunk.ts";
import { isGroupMarker } from "../../src/event/log_record.ts";
import type { FilterPlugin, PluginContext, ProcessorPlugin } from "../../src/plugin.ts";
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { CountingAck } from "../../src/testing/counting_ack.ts";
import { sampleChunk, samplesOf } from "../../src/testing/samples.ts";
import { until } from "../../src/testing/until.ts";

/** What one signal's run counted, for the assertions and their messages. */
export interface TransformCounts {
  received: number;
  yielded: number;
  /** Records of source chunks whose ack the stage settled (dropped) before any release. */
  dropped: number;
  /** Records of source chunks still held when the stage ended (carried downstream). */
  held: number;
}

/** The source chunks for `signal`: one per sample record, then one holding them all. */
function sources(p: FilterPlugin | ProcessorPlugin, signal: Signal): Chunk[] {
  const single = samplesOf(p.example.samples, signal).map((r) =>
    sampleChunk(signal, [r] as Chunk["records"], new CountingAck())
  );
  const all = sampleChunk(signal, samplesOf(p.example.samples, signal), new CountingAck());
  return [...single, all];
}

async function* feed(chunks: Chunk[]): AsyncGenerator<Chunk> {
  for (const c of chunks) yield c;
}

/** Runs `p` on its samples of `signal` and asserts the accounting; returns the counts. */
export async function checkTransform(
  p: FilterPlugin | ProcessorPlugin,
  options: Record<string, unknown>,
  ctx: PluginContext,
  signal: Signal,
): Promise<TransformCounts> {
  const inst = await p.create(options, ctx);
  const stage = transformStage(inst, { signals: [signal], log: ctx.log });
  const input = sources(p, signal);
  const acks = input.map((c) => c.ack as CountingAck);
  const out: Chunk[] = [];
  for await (const c of stage(feed(input))) {
    assertEquals(c.signal, signal, "a yielded chunk keeps its signal");
    assert(!c.ack.settled, `a yielded chunk's ack is held (${c.records.length} records)`);
    out.push(c);
  }
  // OTLP group markers (GROUP_START/END, which opentelemetry_envelope adds) carry no record.
  const records = (cs: Chunk[]) =>
    cs.reduce(
      (n, c) =>
        n +
        (c.signal === "logs"
          ? c.records.filter((r) => !isGroupMarker(r)).length
          : c.records.length),
      0,
    );
  const counts: TransformCounts = {
    received: records(input),
    yielded: records(out),
    dropped: records(input.filter((c) => c.ack.settled)),
    held: records(input.filter((c) => !c.ack.settled)),
  };
  const show = JSON.stringify(counts);
  assert(
    counts.yielded <= counts.held,
    `no record goes on once its source ack has settled: yielded ${counts.yielded} records, ` +
      `but only ${counts.held} are held (${show})`,
  );
  assertEquals(out.length > 0, counts.held > 0, `records held iff chunks went on (${show})`);
  for (const c of out) c.ack.release();
  await until(
    () => acks.every((a) => a.settled),
    `every source ack to settle once the yielded chunks are released (${show})`,
    { timeout: 2000 },
  );
  const settled = records(input.filter((c) => c.ack.settled));
  assertEquals(settled, counts.received, `records settled = records received (${show})`);
  assertEquals(counts.dropped + counts.held, settled, `dropped + carried = settled (${show})`);
  for (const [i, a] of acks.entries()) {
    assertEquals(a.extraReleases, 0, `source chunk ${i}'s ack is released no more than once`);
  }
  await inst.close?.();
  await inst.close?.();
  return counts;
}
