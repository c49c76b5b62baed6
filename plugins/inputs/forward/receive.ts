/**
 * One forward connection of the input: greets (HELO) when the handshake is on, frames the
 * stream, runs each frame through the session, turns messages into chunks for the ingress,
 * and answers `chunk` options with `{"ack": chunk}` only once the chunks are safe: every
 * chunk's ack settled, which is when it is on disk with filesystem storage, or when every
 * output finished with it in memory. A bad frame is counted by reason and logged once with
 * a sample, then the connection is closed (as Fluent Bit does); others are unaffected.
 */
import { type Chunk, CHUNK_MAX_BYTES } from "../../../src/event/chunk.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import {
  encodeAck,
  type ForwardError,
  type ForwardMessage,
  ForwardSession,
  framingError,
  type SessionOptions,
} from "../../../src/forward/mod.ts";
import { MsgpackFramer } from "../../../src/net/stream/mod.ts";
import type { InputContext, MetricFamily } from "../../../src/plugin.ts";
import { writeAll } from "../../../src/engine/write_all.ts";
import type { IngressQueue } from "../../../src/net/ingress_queue.ts";

/** Decoded records take about this many times their msgpack size in memory. */
const MEMORY_FACTOR = 3;

/** What every connection of one input shares. */
export interface ReceiveContext {
  ctx: InputContext;
  ingress: IngressQueue;
  session: SessionOptions;
  /** `buffer_max_size`. */
  maxFrameBytes: number;
  /** Bytes asked of the socket per read. */
  readBytes: number;
  /** `tag_prefix`. */
  tagPrefix: string | undefined;
  /** The explicitly set `tag`, which replaces every incoming tag; undefined when unset. */
  tagOverride: string | undefined;
  /** Counters: refused frames by reason, skipped entries, acks sent. */
  refused: MetricFamily;
  skipped: MetricFamily;
  acks: MetricFamily;
  /** Reasons already logged at warn level (later ones go to debug). */
  warned: Set<string>;
  /** Resolves when the input stops: pending acks are then given up. */
  stopped: Promise<void>;
}

function sample(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 24), (b) => b.toString(16).padStart(2, "0")).join(" ");
}

function logOnce(rc: ReceiveContext, key: string, line: string): void {
  if (rc.warned.has(key)) rc.ctx.log.debug(line);
  else {
    rc.warned.add(key);
    rc.ctx.log.warn(`${line} (later ones are logged at debug)`);
  }
}

/** The chunks of one message: one per signal, log records split to the chunk size. */
function chunksOf(rc: ReceiveContext, msg: ForwardMessage): Chunk[] {
  const tag = rc.tagPrefix !== undefined ? rc.tagPrefix + msg.tag : rc.tagOverride ?? msg.tag;
  const bytes = Math.max(1, msg.bytes * MEMORY_FACTOR);
  if (msg.signal === "metrics") {
    return msg.metrics.length ? [rc.ctx.signalChunk("metrics", msg.metrics, { tag, bytes })] : [];
  }
  if (msg.signal === "traces") {
    return msg.spans.length ? [rc.ctx.signalChunk("traces", msg.spans, { tag, bytes })] : [];
  }
  const records = msg.records;
  if (records.length === 0) return [];
  const parts = Math.ceil(bytes / CHUNK_MAX_BYTES);
  const per = Math.ceil(records.length / parts);
  const out: Chunk[] = [];
  for (let i = 0; i < records.length; i += per) {
    const slice: LogRecord[] = records.slice(i, i + per);
    out.push(
      rc.ctx.chunk(slice, { tag, bytes: Math.ceil((bytes * slice.length) / records.length) }),
    );
  }
  return out;
}

/** Serves one connection until it ends, fails or the ingress closes. */
export async function receive(rc: ReceiveContext, conn: Deno.Conn, peer: string): Promise<void> {
  const { ctx } = rc;
  const session = new ForwardSession(rc.session);
  const framer = new MsgpackFramer({ maxFrameBytes: rc.maxFrameBytes, initialBytes: 64 * 1024 });
  let acking: Promise<void> = Promise.resolve();
  const refuse = (e: ForwardError, frame?: Uint8Array) => {
    rc.refused.inc({ name: ctx.name, reason: e.reason });
    const where = frame ? `; sample: ${sample(frame)}` : "";
    logOnce(rc, e.reason, `closing ${peer}: ${e.message}${where}`);
  };
  try {
    const hello = session.greeting();
    if (hello) await writeAll(conn, hello);
    for (;;) {
      const n = await conn.read(framer.space(rc.readBytes));
      if (n === null) return;
      framer.commit(n);
      for (;;) {
        let frame: Uint8Array | null;
        try {
          frame = framer.next();
        } catch (e) {
          const error = framingError(e);
          if (!error) throw e;
          refuse(error, framer.head(24));
          return;
        }
        if (frame === null) break;
        const step = session.frame(frame);
        if (step.kind === "reply") {
          await writeAll(conn, step.bytes);
          continue;
        }
        if (step.kind === "refuse") {
          refuse(step.error, frame);
          if (step.reply) await writeAll(conn, step.reply).catch(() => {});
          return;
        }
        const msg = step.message;
        if (msg.rejected > 0) {
          rc.skipped.inc({ name: ctx.name }, msg.rejected);
          logOnce(
            rc,
            "entry",
            `skipped ${msg.rejected} malformed entries from ${peer}: ${msg.rejectReason}`,
          );
        }
        const chunks = chunksOf(rc, msg);
        if (chunks.length > 0 && !(await rc.ingress.put(chunks, msg.bytes))) return;
        if (msg.chunk !== undefined) {
          const id = msg.chunk;
          const done = Promise.all(chunks.map((c) => c.ack.done));
          acking = acking.then(async () => {
            await done;
            await writeAll(conn, encodeAck(id));
            rc.acks.inc({ name: ctx.name });
          });
          acking.catch(() => {});
        }
      }
    }
  } catch (e) {
    if (
      !(e instanceof Deno.errors.BadResource || e instanceof Deno.errors.ConnectionReset ||
        e instanceof Deno.errors.BrokenPipe || e instanceof Deno.errors.Interrupted)
    ) {
      ctx.log.debug(`connection ${peer} failed: ${(e as Error).message}`);
    }
  } finally {
    // The sender reads acks until it closes: give the pending ones their chance.
    await Promise.race([acking.catch(() => {}), rc.stopped]);
  }
}
