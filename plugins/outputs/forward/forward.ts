/**
 * The forward output's stage: each chunk becomes Forward-mode messages (one per chunk, or
 * one Message-mode message per record for a per-record tag; metrics and traces as cmetrics
 * or ctraces payloads), sent over a kept-alive connection to the next node in round robin.
 * A node that fails (connect, handshake, write, or no ack in time) is dropped from this
 * attempt and the next one is tried; when every node failed, the chunk is retried by the
 * engine (RetryableError). A stale kept-alive connection is replaced once, at once.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { RetryableError } from "../../../src/engine/errors.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import {
  type EncodedForward,
  encodeForwardLogs,
  encodeForwardMessage,
  encodeForwardMetrics,
  encodeForwardSpans,
} from "../../../src/forward/mod.ts";
import { dial } from "../../../src/net/stream/dial.ts";
import type { OutputInstance, PluginContext } from "../../../src/plugin.ts";
import { ForwardConnection, ForwardConnectionError } from "./connection.ts";
import { type ForwardNode, forwardNodes } from "./nodes.ts";
import type { ForwardOutputOptions } from "./options.ts";

/** The messages of one chunk for `node`, and how many metrics cmetrics could not hold. */
export function chunkMessages(
  chunk: Chunk,
  node: ForwardNode,
): { messages: EncodedForward[]; skipped: number } {
  const tag = node.tag && !node.tag.dynamic ? node.tag.render(chunk.tag) : chunk.tag;
  const enc = node.encoding;
  if (chunk.signal === "metrics") {
    const m = encodeForwardMetrics(tag, chunk.records, enc);
    return { messages: [m], skipped: m.skipped };
  }
  if (chunk.signal === "traces") {
    return { messages: [encodeForwardSpans(tag, chunk.records, enc)], skipped: 0 };
  }
  if (node.tag?.dynamic) {
    const t = node.tag;
    const messages = chunk.records.map((r: LogRecord) =>
      encodeForwardMessage(t.render(chunk.tag, r.body), r, enc)
    );
    return { messages, skipped: 0 };
  }
  return { messages: [encodeForwardLogs(tag, chunk.records, enc)], skipped: 0 };
}

class ForwardOutput implements OutputInstance {
  #nodes: ForwardNode[];
  #idle = new Map<ForwardNode, ForwardConnection[]>();
  #ctx: PluginContext;
  #next = 0;
  #closed = false;
  #skipped;
  #failures;

  constructor(nodes: ForwardNode[], ctx: PluginContext) {
    this.#nodes = nodes;
    this.#ctx = ctx;
    this.#skipped = ctx.metrics.counter(
      "sluice_output_forward_unsent_metrics_total",
      "Metrics a forward output could not write as cmetrics (exponential histograms).",
    );
    this.#failures = ctx.metrics.counter(
      "sluice_output_forward_node_failures_total",
      "Sends to a forward node that failed (connect, handshake, write or ack), by node.",
    );
  }

  async #open(node: ForwardNode): Promise<ForwardConnection> {
    const conn = new ForwardConnection(await dial(node.dial), { timeoutMs: node.timeoutMs });
    if (node.security) await conn.handshake(node.security);
    return conn;
  }

  async #sendAll(node: ForwardNode, messages: EncodedForward[]): Promise<void> {
    const idle = this.#idle.get(node) ?? [];
    this.#idle.set(node, idle);
    let conn = idle.pop();
    const reused = conn !== undefined;
    conn ??= await this.#open(node);
    try {
      for (const m of messages) await conn.send(m);
    } catch (e) {
      conn.close();
      // A kept-alive connection the server closed meanwhile: once more on a fresh one.
      if (!(reused && e instanceof ForwardConnectionError && e.kind === "io")) throw e;
      conn = await this.#open(node);
      try {
        for (const m of messages) await conn.send(m);
      } catch (again) {
        conn.close();
        throw again;
      }
    }
    if (this.#closed) conn.close();
    else idle.push(conn);
  }

  async write(chunk: Chunk): Promise<void> {
    if (chunk.records.length === 0) return;
    const n = this.#nodes.length;
    const first = this.#next++ % n;
    const errors: string[] = [];
    for (let i = 0; i < n; i++) {
      const node = this.#nodes[(first + i) % n]!;
      const { messages, skipped } = chunkMessages(chunk, node);
      try {
        await this.#sendAll(node, messages);
        if (skipped > 0) {
          this.#skipped.inc({ name: this.#ctx.name }, skipped);
          this.#ctx.log.warn(
            `${skipped} metrics have no cmetrics form (exponential histograms) and were not sent`,
          );
        }
        return;
      } catch (e) {
        this.#failures.inc({ name: this.#ctx.name, node: node.name });
        errors.push(`${node.name}: ${errorMessage(e)}`);
      }
    }
    throw new RetryableError(`Cannot forward a chunk of ${chunk.tag}: ${errors.join("; ")}`);
  }

  close(): Promise<void> {
    this.#closed = true;
    for (const list of this.#idle.values()) for (const c of list.splice(0)) c.close();
    return Promise.resolve();
  }
}

/** The forward output for parsed options; throws OptionError on a refused combination. */
export function createForwardOutput(
  options: ForwardOutputOptions,
  ctx: PluginContext,
): OutputInstance {
  if (options.fluentd_compat && (options.upstream !== undefined || options.compress === "gzip")) {
    const why = options.upstream !== undefined ? "upstream nodes" : "compress gzip";
    ctx.log.warn(`fluentd_compat has no effect with ${why}, as in Fluent Bit`);
  }
  return new ForwardOutput(forwardNodes(options), ctx);
}
