/**
 * The conformance run of an output, per signal it takes: created with its example's values,
 * run by the engine's own `OutputRunner` (no retries), fed one chunk of its samples with a
 * counting ack, drained, closed, closed again. Then the accounting: every record was
 * delivered (the local endpoint answers 200, the scratch directory is writable), none
 * dropped, every ack settled once; a write that failed threw RetryableError or
 * PermanentError, as the contract says.
 */
import { Logger, memorySink } from "../../src/engine/log.ts";
import { MetricsRegistry } from "../../src/engine/metrics.ts";
import { OutputRunner } from "../../src/engine/output_runner.ts";
import { PermanentError, RetryableError } from "../../src/engine/errors.ts";
import type { Chunk } from "../../src/event/chunk.ts";
import { type OutputPlugin, type PluginContext, signalsOf } from "../../src/plugin.ts";
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { CountingAck } from "../../src/testing/counting_ack.ts";
import { sampleChunk, samplesOf } from "../../src/testing/samples.ts";
import { within } from "../../src/testing/until.ts";

/** What an output's run counted. */
export interface OutputCounts {
  received: number;
  delivered: number;
  dropped: number;
}

/** Runs `p` on its samples of every signal it takes and asserts the accounting. */
export async function checkOutput(
  p: OutputPlugin,
  options: Record<string, unknown>,
  ctx: PluginContext,
): Promise<OutputCounts> {
  const inst = await p.create(options, ctx);
  const failures: unknown[] = [];
  const sink = memorySink();
  const metrics = new MetricsRegistry();
  const runner = new OutputRunner({
    name: ctx.name,
    instance: {
      async write(chunk: Chunk) {
        try {
          await inst.write(chunk);
        } catch (e) {
          failures.push(e);
          throw e;
        }
      },
    },
    processors: (chunks) => chunks,
    log: new Logger({ level: "debug", component: `output:${ctx.name}`, sink }),
    metrics,
    flush: 1,
    workers: p.defaults?.workers ?? 1,
    retryLimit: 0,
    schedulerBase: 1,
    schedulerCap: 1,
    onReject: () => false,
  });
  const chunks = signalsOf(p).map((signal) =>
    sampleChunk(signal, samplesOf(p.example.samples, signal), new CountingAck())
  );
  for (const c of chunks) {
    c.ack.retain(); // the route's hold, as the router takes it
    runner.enqueue(c);
    c.ack.release(); // the pipeline's own hold
  }
  await within(runner.drain(), `output "${p.name}" to finish its writes`, { timeout: 10_000 });
  await runner.close();
  await inst.close?.();
  for (const e of failures) {
    assert(
      e instanceof RetryableError || e instanceof PermanentError,
      `write throws RetryableError or PermanentError, got ${String(e)}`,
    );
  }
  const labels = { name: ctx.name };
  const counts: OutputCounts = {
    received: chunks.reduce((n, c) => n + c.records.length, 0),
    delivered: metrics.value("fluentbit_output_proc_records_total", labels),
    dropped: metrics.value("fluentbit_output_dropped_records_total", labels),
  };
  const show = `${JSON.stringify(counts)}; failures: ${failures.map(String).join("; ")}`;
  assertEquals(
    failures.length,
    0,
    `the example delivers (${show}; log: ${sink.lines.join(" | ")})`,
  );
  assertEquals(
    counts.delivered + counts.dropped,
    counts.received,
    `every record settled (${show})`,
  );
  assertEquals(counts.dropped, 0, `no record dropped (${show})`);
  for (const [i, c] of chunks.entries()) {
    const ack = c.ack as CountingAck;
    assert(ack.settled, `the ${c.signal} chunk's ack settled`);
    assertEquals(ack.extraReleases, 0, `chunk ${i}'s ack is released no more than once`);
  }
  return counts;
}
