/**
 * Routing: which outputs a chunk goes to, and handing it to each of them. Tags match
 * with Fluent Bit's semantics: in `match`, only `*` is special and matches any run of
 * characters (dots and nothing included), case-sensitive; `match_regex`, when set, is
 * used instead and is anchored at the start only. A chunk goes to every output whose
 * signals include its signal and whose matcher takes its tag; one that matches none is
 * counted as unrouted and its ack released. Conditional routing (`routes`) belongs here.
 */
import type { Chunk, Signal } from "../event/chunk.ts";
import { compileOnigmo } from "../parsers/onigmo.ts";
import { cloneChunk } from "./clone.ts";
import type { Logger } from "./log.ts";
import type { Metric, MetricsRegistry } from "./metrics.ts";
import type { ChunkHeader } from "./storage/chunk_file.ts";

/** A compiled tag matcher. */
export type TagMatcher = (tag: string) => boolean;

/**
 * Compiles `match` / `match_regex` into a matcher; neither set matches nothing,
 * as in Fluent Bit. Results are cached per tag (tags repeat a lot).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const m = compileTagMatcher({ match: "app.*" });
 * assertEquals([m("app.web"), m("app")], [true, false]);
 * ```
 */
export function compileTagMatcher(options: { match?: string; matchRegex?: string }): TagMatcher {
  let test: TagMatcher;
  if (options.matchRegex !== undefined && options.matchRegex !== "") {
    const re = compileOnigmo(options.matchRegex);
    const anchored = new RegExp(`^(?:${re.source})`, re.flags);
    test = (tag) => anchored.test(tag);
  } else if (options.match !== undefined && options.match !== "") {
    test = wildcardMatcher(options.match);
  } else {
    return () => false;
  }
  const cache = new Map<string, boolean>();
  return (tag) => {
    let hit = cache.get(tag);
    if (hit === undefined) {
      hit = test(tag);
      if (cache.size > 10_000) cache.clear();
      cache.set(tag, hit);
    }
    return hit;
  };
}

function wildcardMatcher(pattern: string): TagMatcher {
  if (!pattern.includes("*")) return (tag) => tag === pattern;
  if (/^\*+$/.test(pattern)) return () => true;
  const parts = pattern.split(/\*+/);
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  return (tag) => {
    if (!tag.startsWith(first) || tag.length < first.length + last.length) return false;
    let at = first.length;
    for (let i = 1; i < parts.length - 1; i++) {
      const part = parts[i]!;
      const found = tag.indexOf(part, at);
      if (found < 0) return false;
      at = found + part.length;
    }
    return tag.length - last.length >= at && tag.endsWith(last);
  };
}

/** What the router needs of an output. */
export interface RouteTarget {
  name: string;
  matcher: TagMatcher;
  signals: readonly Signal[];
  /** True when the output has processors: a chunk going to several outputs is copied. */
  hasProcessors: boolean;
  /** Where a routed chunk is queued (the output's runner). */
  runner: { enqueue(chunk: Chunk): void };
}

/** Where a chunk comes from, as the router sees it. */
export interface RouteSource {
  /** The input's name, for the unrouted counter. */
  name: string;
  /** False when the input's `routable` is off: its chunks go nowhere. */
  routable: boolean;
}

/**
 * Routes chunks to outputs by signal and tag, with a cache of targets per signal and tag.
 *
 * @example
 * ```ts
 * import type { Chunk } from "../event/chunk.ts";
 * import { logRecord } from "../event/log_record.ts";
 * import { assertEquals } from "../testing/assert.ts";
 * import { testInputContext } from "../testing/input_context.ts";
 * import { Logger, memorySink } from "./log.ts";
 * import { MetricsRegistry } from "./metrics.ts";
 *
 * const queued: string[] = [];
 * const output = (name: string, match: string) => ({
 *   name,
 *   matcher: compileTagMatcher({ match }),
 *   signals: ["logs" as const],
 *   hasProcessors: false,
 *   runner: { enqueue: (c: Chunk) => void queued.push(`${name} <- ${c.tag}`) },
 * });
 * const metrics = new MetricsRegistry();
 * const log = new Logger({ sink: memorySink() });
 * const outputs = [output("stdout.0", "app.*"), output("null.0", "sys")];
 * const router = new Router(outputs, { log, metrics });
 * const input = testInputContext({ name: "tail.0", tag: "app.web" });
 * router.route(input.chunk([logRecord({ msg: "hi" })]), { name: "tail.0", routable: true });
 * assertEquals(queued, ["stdout.0 <- app.web"]);
 * ```
 */
export class Router<T extends RouteTarget = RouteTarget> {
  #outputs: readonly T[];
  #log: Logger;
  #unrouted: Metric;
  #routedRecords: Metric;
  #routedBytes: Metric;
  #cache = new Map<string, T[]>();

  constructor(outputs: readonly T[], deps: { log: Logger; metrics: MetricsRegistry }) {
    this.#outputs = outputs;
    this.#log = deps.log;
    this.#unrouted = deps.metrics.counter(
      "sluice_input_unrouted_records_total",
      "Records that matched no output and were discarded.",
    );
    this.#routedRecords = deps.metrics.counter(
      "fluentbit_routing_logs_records_total",
      "Total log records routed from input to output",
    );
    this.#routedBytes = deps.metrics.counter(
      "fluentbit_routing_logs_bytes_total",
      "Total bytes routed from input to output (logs)",
    );
  }

  /** The outputs `chunk` goes to when it comes from `from` (none when not routable). */
  targetsFrom(chunk: Chunk, from: RouteSource): T[] {
    return from.routable ? this.targetsOf(chunk) : [];
  }

  /** The outputs whose signals and matcher take `chunk`. */
  targetsOf(chunk: Chunk): T[] {
    const key = `${chunk.signal}\u0000${chunk.tag}`;
    let targets = this.#cache.get(key);
    if (!targets) {
      targets = this.#outputs.filter((o) =>
        o.signals.includes(chunk.signal) && o.matcher(chunk.tag)
      );
      if (this.#cache.size > 10_000) this.#cache.clear();
      this.#cache.set(key, targets);
    }
    return targets;
  }

  /** The outputs a stored chunk goes to: its recorded routes, else those its tag matches. */
  storedTargets(h: ChunkHeader): T[] {
    const named = this.#outputs.filter((o) =>
      h.routes.includes(o.name) && o.signals.includes(h.signal)
    );
    if (named.length > 0) {
      if (named.length < h.routes.length) {
        this.#log.warn(
          `stored chunk of tag "${h.tag}" was routed to outputs this config lacks: ` +
            h.routes.filter((r) => !named.some((o) => o.name === r)).join(", "),
        );
      }
      return named;
    }
    return this.#outputs.filter((o) => o.signals.includes(h.signal) && o.matcher(h.tag));
  }

  /** Sends an input's chunk to the outputs it matches, or counts it as unrouted. */
  route(chunk: Chunk, from: RouteSource): void {
    const targets = this.targetsFrom(chunk, from);
    if (targets.length === 0) return this.discard(chunk, from);
    this.countRouted(chunk, from, targets);
    this.fanOut(chunk, targets);
  }

  /**
   * Counts an input's log chunk as routed to `targets`, as Fluent Bit's
   * `fluentbit_routing_logs_{records,bytes}_total{input,output}` do (bytes: sluice's estimate
   * of the chunk's size, not its msgpack length).
   */
  countRouted(chunk: Chunk, from: RouteSource, targets: readonly T[]): void {
    if (chunk.signal !== "logs") return;
    for (const out of targets) {
      const labels = { input: from.name, output: out.name };
      this.#routedRecords.inc(labels, chunk.records.length);
      this.#routedBytes.inc(labels, chunk.bytes);
    }
  }

  /**
   * Sends a chunk straight to the outputs its tag matches (a dead-letter replay). Returns
   * false when no output takes it (its ack is released).
   */
  inject(chunk: Chunk): boolean {
    const targets = this.targetsOf(chunk);
    if (targets.length === 0) {
      chunk.ack.release();
      return false;
    }
    this.fanOut(chunk, targets);
    return true;
  }

  /**
   * Queues `chunk` at every target under one route each on its ack; an output with
   * processors gets its own copy when there are several targets.
   */
  fanOut(chunk: Chunk, targets: readonly T[]): void {
    for (const out of targets) {
      const routed = targets.length > 1 && out.hasProcessors ? cloneChunk(chunk) : chunk;
      chunk.ack.retain();
      out.runner.enqueue(routed);
    }
    chunk.ack.release();
  }

  /** Counts a chunk no output takes as unrouted, logs it once per tag, releases its ack. */
  discard(chunk: Chunk, from: RouteSource): void {
    this.#unrouted.inc({ name: from.name }, chunk.records.length);
    this.#log.once(
      "warn",
      `unrouted:${chunk.tag}`,
      `no output matches tag "${chunk.tag}"; discarding`,
    );
    chunk.ack.release();
  }
}
