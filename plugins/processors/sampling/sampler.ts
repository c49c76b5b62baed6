/**
 * The tail sampler's state machine, synchronous and clock-free (callers pass
 * `now`): spans are buffered per trace until the trace is due, then the conditions
 * decide it whole. Kept traces come out as new chunks; dropped spans release their
 * source chunks' share at once. Late spans follow their trace's remembered
 * decision. Memory is bounded by `max_traces` and `max_buffered_bytes`: hitting
 * either applies `max_traces_policy` to the oldest trace, counted.
 */
import type { TraceChunk } from "../../../src/event/chunk.ts";
import type { PluginLogger as Logger } from "../../../src/plugin.ts";
import { holdSource, settle, type Source } from "./ack_tracker.ts";
import { type ConditionSet, decide } from "./conditions/mod.ts";
import { DecisionCache } from "./decision_cache.ts";
import { Emission } from "./emit.ts";
import { hexOf, idKey } from "./ids.ts";
import type { SamplingMetrics } from "./metrics.ts";
import type { SamplingSettings } from "./settings.ts";
import { type PendingTrace, TraceBuffer } from "./trace_buffer.ts";

/** What a {@link TailSampler} is built from. */
export interface TailSamplerOptions {
  settings: Pick<
    SamplingSettings,
    | "decisionWaitMs"
    | "decisionWaitAfterRootMs"
    | "maxTraces"
    | "maxBufferedBytes"
    | "maxTracesPolicy"
    | "keepCacheSize"
    | "dropCacheSize"
  >;
  conditions: ConditionSet;
  metrics?: SamplingMetrics;
  /** With `debug`, each decision is logged at info level. */
  log?: Logger;
  debug?: boolean;
}

/**
 * Tail sampling over chunks of spans; every method returns the chunks to pass on.
 *
 * @example
 * ```ts
 * import type { TraceChunk } from "../../../src/event/chunk.ts";
 * import { StatusCode } from "../../../src/event/span.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { testInputContext } from "../../../src/testing/input_context.ts";
 * import { testSpan } from "../../../src/testing/spans.ts";
 * import { parseConditions } from "./conditions/mod.ts";
 * import { parseSettings } from "./settings.ts";
 *
 * const s = new TailSampler({
 *   settings: parseSettings({ decision_wait: "2s" }),
 *   conditions: parseConditions([{ type: "status_code", status_codes: ["ERROR"] }]),
 * });
 * const ok = testSpan({ traceId: new Uint8Array(16).fill(1) });
 * const failed = testSpan({
 *   traceId: new Uint8Array(16).fill(2),
 *   status: { code: StatusCode.ERROR, message: "boom" },
 * });
 * const chunk = testInputContext().signalChunk<TraceChunk>("traces", [ok, failed]);
 * assertEquals(s.ingest(chunk, 0), []); // both traces wait for decision_wait
 * const out = s.decideDue(2000); // now in clock ms: both are due
 * assertEquals(out.flatMap((c) => c.records.map((r) => r.status.message)), ["boom"]);
 * for (const c of out) c.ack.release(); // the engine, once the outputs are done
 * await chunk.ack.done; // the source settles once the kept chunk did (the dropped trace at once)
 * ```
 */
export class TailSampler {
  readonly #o: TailSamplerOptions;
  readonly #buffer: TraceBuffer;
  readonly #cache: DecisionCache;

  constructor(options: TailSamplerOptions) {
    this.#o = options;
    const s = options.settings;
    this.#buffer = new TraceBuffer(s.decisionWaitMs, s.decisionWaitAfterRootMs);
    this.#cache = new DecisionCache(s.keepCacheSize, s.dropCacheSize);
  }

  /** Traces waiting for a decision. */
  get pendingTraces(): number {
    return this.#buffer.size;
  }

  /** Estimated bytes of the spans waiting. */
  get bufferedBytes(): number {
    return this.#buffer.bytes;
  }

  /** When the next trace is due (clock ms), or undefined when none waits. */
  nextDeadline(): number | undefined {
    return this.#buffer.nextDeadline();
  }

  /** Takes a chunk's spans in; returns what can go on now (late spans of kept traces, due traces). */
  ingest(chunk: TraceChunk, now: number): TraceChunk[] {
    const spans = chunk.records;
    const source = holdSource(chunk);
    const out = new Emission();
    let dropped = 0;
    // Spans of a trace come together and the decoder shares their trace ID array: the
    // span after one that was buffered joins the same trace without a key or lookup.
    let lastId: Uint8Array | undefined;
    let lastKey = "";
    let lastTrace: PendingTrace | undefined;
    for (const span of spans) {
      const id = span.traceId;
      if (!id || id.length === 0) {
        // No trace to join: judged alone, at once, and not remembered.
        if (this.#decide({ spans: [span] }, now, now, "")) out.add(span, source);
        else {
          settle(source);
          dropped++;
        }
        continue;
      }
      if (id === lastId && lastTrace !== undefined) {
        this.#buffer.append(lastTrace, span, source, now);
        continue;
      }
      const key = id === lastId ? lastKey : idKey(id);
      lastId = id;
      lastKey = key;
      lastTrace = this.#buffer.get(key);
      if (lastTrace) {
        this.#buffer.append(lastTrace, span, source, now);
        continue;
      }
      const cached = this.#cache.get(key);
      if (cached === undefined) lastTrace = this.#buffer.add(key, span, source, now);
      else if (cached === "keep") {
        this.#o.metrics?.late("keep");
        out.add(span, source);
      } else {
        this.#o.metrics?.late(cached === "drop" ? "drop" : "undecided");
        settle(source);
        dropped++;
      }
    }
    const passed = out.spans;
    this.#o.metrics?.spans(spans.length, passed, dropped);
    this.#enforceLimits(now, out);
    this.#decideDue(now, out);
    return this.#finish(out, passed);
  }

  /** Decides the traces due at `now`. */
  decideDue(now: number): TraceChunk[] {
    const out = new Emission();
    this.#decideDue(now, out);
    return this.#finish(out, 0);
  }

  /** Decides every pending trace now (the upstream ended): nothing is dropped undecided. */
  flush(now: number): TraceChunk[] {
    const out = new Emission();
    const all = this.#buffer.takeAll();
    for (const t of all) this.#settleTrace(t, now, out);
    if (all.length > 0) this.#o.log?.info(`decided ${all.length} pending traces at shutdown`);
    return this.#finish(out, 0);
  }

  #decideDue(now: number, out: Emission): void {
    for (const t of this.#buffer.takeDue(now)) this.#settleTrace(t, now, out);
  }

  #enforceLimits(now: number, out: Emission): void {
    const s = this.#o.settings;
    const b = this.#buffer;
    while (b.size > 0 && (b.size > s.maxTraces || b.bytes > s.maxBufferedBytes)) {
      const t = b.takeOldest()!;
      if (s.maxTracesPolicy === "decide_early") {
        this.#o.metrics?.decidedEarly();
        this.#settleTrace(t, now, out);
      } else {
        this.#o.metrics?.evicted();
        this.#cache.remember(t.key, "evicted");
        this.#drop(t);
        if (this.#o.debug) this.#o.log?.info(`trace ${hexOf(t.key)} evicted unevaluated`);
      }
    }
  }

  /** Decides a trace that left the buffer and routes its spans. */
  #settleTrace(t: PendingTrace, now: number, out: Emission): void {
    const keep = this.#decide(t, t.firstSeen, now, t.key);
    this.#cache.remember(t.key, keep ? "keep" : "drop");
    if (keep) out.addTrace(t.spans, t.sources);
    else this.#drop(t);
  }

  #decide(
    trace: { spans: PendingTrace["spans"] },
    since: number,
    now: number,
    key: string,
  ): boolean {
    const keep = decide(this.#o.conditions, trace);
    this.#o.metrics?.decided(keep, Math.max(0, now - since) / 1000);
    if (this.#o.debug) {
      const id = key === "" ? "(empty trace ID)" : hexOf(key);
      this.#o.log?.info(`trace ${id} ${keep ? "kept" : "dropped"}: ${trace.spans.length} spans`);
    }
    return keep;
  }

  #drop(t: PendingTrace): void {
    const sources: Source[] = t.sources;
    for (const source of sources) settle(source);
    this.#o.metrics?.spans(0, 0, sources.length);
  }

  #finish(out: Emission, alreadyCounted: number): TraceChunk[] {
    const chunks = out.chunks();
    const m = this.#o.metrics;
    if (m) {
      m.spans(0, out.spans - alreadyCounted, 0);
      m.pending(this.#buffer.size);
      m.flush();
    }
    return chunks;
  }
}
