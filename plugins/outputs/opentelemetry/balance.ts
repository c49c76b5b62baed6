/**
 * The opentelemetry output balanced over several endpoints by trace ID (`lb.endpoints`,
 * `lb.dns`), as the OpenTelemetry Collector's loadbalancing exporter: each record is keyed
 * (a span's trace ID; a log record's `lb.log_key`, else its tag; metrics by tag), placed by
 * rendezvous hashing, and the chunk is cut into one part per endpoint, sent at once, each
 * through an ordinary opentelemetry output for that endpoint. Parts that fail are reported
 * to the engine by index (PartialWriteError), so only they are retried, with the output's
 * backoff and retry_limit, and the chunk (its ack, its file in filesystem storage) settles
 * once every part has. With `lb.on_down failover`, an endpoint down after
 * `lb.failover_after` failures gives its traces to each trace's next choice.
 */
import { chunkKeyer } from "../../../src/engine/partition/mod.ts";
import { PartialWriteError, PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import type { RejectedRecord } from "../../../src/engine/errors.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import { errorMessage } from "../../../src/error_message.ts";
import type { OutputInstance, PluginContext } from "../../../src/plugin.ts";
import { EndpointHealth } from "./balance_health.ts";
import { BalanceNodes, type Endpoint } from "./balance_nodes.ts";
import { indexesByNode } from "./balance_split.ts";
import type { OtlpOutputOptions } from "./options.ts";

/** Whether `options` ask for load balancing. */
export function isBalanced(options: OtlpOutputOptions): boolean {
  return options["lb.endpoints"].length > 0 || options["lb.dns"].length > 0;
}

/** One endpoint's output and the part chunks it has half sent (to resume, not resend). */
interface Target {
  out: OutputInstance;
  inFlight: number;
  gone: boolean;
  /** A part in progress by its first record, so a retry reuses it and resumes. */
  parts: WeakMap<object, Chunk>;
}

/** Creates the output for one endpoint (an ordinary opentelemetry output). */
export type EndpointFactory = (endpoint: Endpoint) => OutputInstance;

/** A balanced opentelemetry output over `options`' endpoints. */
export function createBalancedOutput(
  options: OtlpOutputOptions,
  ctx: PluginContext,
  factory: EndpointFactory,
): OutputInstance {
  // The endpoints' outputs are made on first use: make one now, so a bad option (TLS files,
  // a refused transport) is a config error at start, not a retry at every write.
  void factory({ name: "", host: options.host, port: options.port }).close?.();
  const nodes = new BalanceNodes({
    endpoints: options["lb.endpoints"],
    dns: options["lb.dns"],
    defaultPort: options.port,
    dnsIntervalMs: options["lb.dns_interval"] * 1000,
    dnsServer: options["lb.dns_server"],
  }, ctx);
  const failover = options["lb.on_down"] === "failover";
  const health = new EndpointHealth({
    failAfter: options["lb.failover_after"],
    downMs: options["lb.down_time"] * 1000,
    now: () => ctx.clock.now(),
  });
  const keyer = chunkKeyer({ logKey: options["lb.log_key"] });
  const targets = new Map<string, Target>();
  const labels = (endpoint: string) => ({ name: ctx.name, endpoint });
  const sent = ctx.metrics.counter(
    "sluice_output_lb_records_total",
    "Records a load-balanced output delivered, by endpoint.",
  );
  const failures = ctx.metrics.counter(
    "sluice_output_lb_failures_total",
    "Failed writes of a load-balanced output, by endpoint.",
  );

  function targetOf(e: Endpoint): Target {
    let t = targets.get(e.name);
    if (!t) {
      targets.set(e.name, t = { out: factory(e), inFlight: 0, gone: false, parts: new WeakMap() });
    }
    return t;
  }

  /** Closes endpoints no longer in the set, once idle. */
  function prune(live: readonly Endpoint[]): void {
    const names = new Set(live.map((e) => e.name));
    for (const [name, t] of targets) {
      if (names.has(name)) continue;
      targets.delete(name);
      t.gone = true;
      if (t.inFlight === 0) void t.out.close?.();
    }
  }

  /** The part chunk for `records`: the one already half sent when it is the same records. */
  function partChunk(t: Target, chunk: Chunk, records: unknown[]): Chunk {
    const first = records[0] as object;
    const old = t.parts.get(first);
    if (
      old && old.records.length === records.length && old.records.every((r, i) => r === records[i])
    ) {
      return old;
    }
    const n = chunk.records.length;
    const bytes = n > 0 ? Math.ceil(chunk.bytes * records.length / n) : 0;
    const part = { ...chunk, records, bytes } as Chunk;
    t.parts.set(first, part);
    return part;
  }

  async function send(e: Endpoint, chunk: Chunk, indexes: number[]): Promise<void> {
    const t = targetOf(e);
    const all = chunk.records as unknown[];
    const records = indexes.map((i) => all[i]);
    const part = partChunk(t, chunk, records);
    t.inFlight++;
    try {
      await t.out.write(part);
      t.parts.delete(records[0] as object);
    } finally {
      t.inFlight--;
      if (t.gone && t.inFlight === 0) void t.out.close?.();
    }
  }

  async function write(chunk: Chunk): Promise<void> {
    if (chunk.records.length === 0) return;
    const placement = await nodes.current();
    if (!placement) throw new RetryableError("no load-balancing endpoint resolved yet");
    prune(placement.endpoints);
    const { ring, endpoints } = placement;
    const keys = keyer(chunk);
    const up = (i: number) => health.isUp(endpoints[i]!.name);
    const nodeOf = failover
      ? (i: number) => {
        const n = ring.pickUp(keys[i]!, up);
        return n >= 0 ? n : ring.pick(keys[i]!);
      }
      : (i: number) => ring.pick(keys[i]!);
    const parts = [...indexesByNode(chunk, nodeOf)];
    const results = await Promise.allSettled(
      parts.map(([node, indexes]) => send(endpoints[node]!, chunk, indexes)),
    );
    const retry = new Set<number>();
    const rejected: RejectedRecord[] = [];
    const messages: string[] = [];
    let retryAfter: number | undefined;
    let status: number | undefined;
    results.forEach((r, k) => {
      const [node, indexes] = parts[k]!;
      const name = endpoints[node]!.name;
      if (r.status === "fulfilled") {
        if (health.delivered(name)) ctx.log.info(`endpoint ${name} delivers again`);
        sent.inc(labels(name), countRecords(chunk, indexes));
        return;
      }
      const e = r.reason;
      failures.inc(labels(name));
      messages.push(`${name}: ${errorMessage(e)}`);
      if (e instanceof PermanentError) {
        for (const i of indexes) {
          if (!isMarkerAt(chunk, i)) {
            rejected.push({ index: i, reason: `${name}: ${e.message}`, status: e.status });
          }
        }
        return;
      }
      if (failover && health.failed(name)) {
        ctx.log.warn(
          `endpoint ${name} is down after ${
            options["lb.failover_after"]
          } failed writes: its traces go to the ` +
            `other endpoints for ${options["lb.down_time"]}s`,
        );
      }
      for (const i of indexes) retry.add(i);
      if (e instanceof RetryableError) {
        if (e.retryAfter !== undefined) retryAfter = Math.max(retryAfter ?? 0, e.retryAfter);
        status ??= e.status;
      }
    });
    if (messages.length === 0) return;
    const message = `${messages.length} of ${parts.length} endpoint(s) failed: ${
      messages.join("; ")
    }`;
    throw new PartialWriteError(message, {
      retry: [...retry].sort((a, b) => a - b),
      rejected,
      retryAfter,
      status,
    });
  }

  return {
    write,
    async close(): Promise<void> {
      nodes.close();
      await Promise.all([...targets.values()].map((t) => t.out.close?.()));
      targets.clear();
    },
  };
}

function isMarkerAt(chunk: Chunk, i: number): boolean {
  return chunk.signal === "logs" && isGroupMarker(chunk.records[i] as LogRecord);
}

function countRecords(chunk: Chunk, indexes: readonly number[]): number {
  if (chunk.signal !== "logs") return indexes.length;
  let n = 0;
  for (const i of indexes) if (!isMarkerAt(chunk, i)) n++;
  return n;
}
