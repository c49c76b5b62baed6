/**
 * How the engine pulls an input: it waits while the input is paused over its buffer
 * limit, counts what comes in, and applies the input contract's stop rule. After the
 * input's `signal` aborts, the engine no longer waits for a resume and keeps pulling
 * until the generator returns, so what the input holds back goes out; only past the
 * stop timeout (`cutoff`) does it stop pulling, and a chunk that arrives then is left
 * unacknowledged, for the input to read again on its next start.
 */
import type { Chunk } from "../event/chunk.ts";
import type { BuiltInput } from "./built.ts";
import type { Metric, MetricsRegistry } from "./metrics.ts";

/** Longest run of pulls before the engine lets timers and I/O run, in ms. */
const FAIR_SLICE_MS = 50;

/** The input counters Fluent Bit shows, per input name. */
export interface InputCounters {
  records: Metric;
  bytes: Metric;
}

/** Registers `fluentbit_input_records_total` and `_bytes_total`, at 0 for every input. */
export function inputCounters(
  metrics: MetricsRegistry,
  inputs: readonly { name: string }[],
): InputCounters {
  const records = metrics.counter("fluentbit_input_records_total", "Number of input records.");
  const bytes = metrics.counter("fluentbit_input_bytes_total", "Number of input bytes.");
  for (const i of inputs) {
    records.touch({ name: i.name });
    bytes.touch({ name: i.name });
  }
  return { records, bytes };
}

/** What {@link gateInput} needs besides the input. */
export interface GateOptions {
  counters: InputCounters;
  /** True once the stop timeout has passed: stop pulling, leave late chunks unacked. */
  cutoff: () => boolean;
}

/**
 * The input's chunks as the engine takes them: paused while its buffer is over the
 * limit (until resumed or stopped), counted, and tracked against the limit.
 */
export async function* gateInput(input: BuiltInput, options: GateOptions): AsyncGenerator<Chunk> {
  const it = input.instance.chunks[Symbol.asyncIterator]();
  const labels = { name: input.name };
  const { counters, cutoff } = options;
  let turn = performance.now();
  try {
    while (!cutoff()) {
      // An input that always has a chunk ready (dummy far behind its rate) would keep the
      // loop in microtasks: timers, sockets and signals (SIGTERM) would never run.
      if (performance.now() - turn > FAIR_SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        turn = performance.now();
      }
      if (input.limit.paused && !input.abort.signal.aborted) {
        await resumedOrAborted(input.limit.whenResumed(), input.abort.signal);
      }
      const r = await it.next();
      if (r.done || cutoff()) return;
      const chunk = r.value;
      counters.records.inc(labels, chunk.records.length);
      counters.bytes.inc(labels, chunk.bytes);
      input.limit.track(chunk);
      yield chunk;
    }
  } finally {
    await it.return?.();
  }
}

/**
 * Resolves when `resumed` does or `signal` aborts. A listener per wait, not a race
 * against one long-lived abort promise, which would keep a reaction for every pause.
 */
function resumedOrAborted(resumed: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done, { once: true });
    resumed.then(done);
  });
}
