/**
 * The JetStream side of the nats input: fetch from each durable consumer in turn, one chunk
 * per run of messages with the same signal and tag, and ack a message only when its chunk's
 * ack settles (every output delivered it, or dead-lettered it). While a chunk is in flight
 * its messages are marked in progress every ack_wait/3, so a slow output does not make the
 * server deliver them again; after a crash, whatever was not acked is delivered again.
 */
import type { Consumer, JsMsg } from "@nats-io/jetstream";
import type { Chunk } from "../../../src/event/chunk.ts";
import type { InputContext } from "../../../src/plugin.ts";
import type { MessageChunker } from "./chunker.ts";

/** Messages delivered and not yet acked, kept marked in progress. */
export class InFlight {
  #msgs = new Set<JsMsg>();
  #timer: ReturnType<typeof setInterval>;

  constructor(ackWaitSeconds: number) {
    const every = Math.max(250, Math.round(ackWaitSeconds * 1000 / 3));
    this.#timer = setInterval(() => {
      for (const m of this.#msgs) m.working();
    }, every);
  }

  /** How many wait for their chunk. */
  get size(): number {
    return this.#msgs.size;
  }

  /** Holds `msgs` until `chunk` settles, then acks them. */
  hold(chunk: Chunk, msgs: readonly JsMsg[]): void {
    for (const m of msgs) this.#msgs.add(m);
    chunk.ack.done.then(() => {
      for (const m of msgs) {
        this.#msgs.delete(m);
        m.ack();
      }
    });
  }

  /** Stops the in-progress marks. */
  stop(): void {
    clearInterval(this.#timer);
  }
}

/** Fetches from `consumers` in turn until `ctx.signal` aborts, yielding chunks. */
export async function* readConsumers(
  consumers: () => Promise<Consumer[]>,
  chunker: MessageChunker,
  inFlight: InFlight,
  options: { batch: number; batchBytes: number; ctx: InputContext },
): AsyncGenerator<Chunk> {
  const { ctx } = options;
  let list: Consumer[] | undefined;
  let turn = 0;
  const size = new FetchSize(options.batch, options.batchBytes);
  while (!ctx.signal.aborted) {
    try {
      list ??= await consumers();
      const consumer = list[turn++ % list.length]!;
      const got = await fetchBatch(consumer, size);
      if (got.length === 0) continue;
      const { chunks, skipped } = chunker.chunks(got, (m) => m.data, (m) => m.headers);
      for (const m of skipped) m.ack();
      for (const { chunk, items } of chunks) {
        inFlight.hold(chunk, items);
        yield chunk;
      }
    } catch (e) {
      if (ctx.signal.aborted) break;
      ctx.log.once("warn", "nats-fetch", `JetStream fetch failed, retrying: ${e}`);
      list = undefined;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Fetch waits this long for its batch. */
const FETCH_EXPIRES_MS = 1000;
/** A fetch not over this long after it expired is abandoned (a pull lost in a server restart). */
const FETCH_STUCK_MS = 3000;

/**
 * How many messages the next fetch asks for: `batch`, or fewer when messages are large, so
 * a fetch holds about `bytes` of payload (by the mean size of recent messages). The client
 * takes a count or a byte budget, not both, and a server of 2.9 holds a byte-budget fetch
 * open until it expires once the next message does not fit, so the count is what is asked.
 */
export class FetchSize {
  #mean = 4096;

  constructor(readonly batch: number, readonly bytes: number) {}

  /** Messages to ask for next. */
  get count(): number {
    if (this.bytes <= 0) return this.batch;
    return Math.max(1, Math.min(this.batch, Math.floor(this.bytes / this.#mean)));
  }

  /** Learns from a fetch's messages. */
  saw(msgs: readonly JsMsg[]): void {
    if (msgs.length === 0) return;
    let total = 0;
    for (const m of msgs) total += m.data.length;
    this.#mean = Math.max(64, 0.5 * this.#mean + 0.5 * (total / msgs.length));
  }
}

/** One fetch of up to `count` messages; a fetch that hangs past its expiry is stopped. */
async function fetchBatch(consumer: Consumer, size: FetchSize): Promise<JsMsg[]> {
  const got: JsMsg[] = [];
  const fetched = await consumer.fetch({ max_messages: size.count, expires: FETCH_EXPIRES_MS });
  let stuck = false;
  const timer = setTimeout(() => {
    stuck = true;
    fetched.stop();
  }, FETCH_EXPIRES_MS + FETCH_STUCK_MS);
  try {
    for await (const m of fetched) got.push(m);
  } finally {
    clearTimeout(timer);
  }
  if (stuck && got.length === 0) throw new Error("a fetch got no answer; pulling again");
  size.saw(got);
  return got;
}
