/**
 * The nats input: core NATS subscriptions, or a JetStream durable consumer whose messages are
 * acked only after every output delivered their records, so a crash (even SIGKILL) loses
 * nothing; at worst messages in flight are delivered again. With `partitions`, it consumes
 * `SUBJECT.<n>` for each listed n (one durable consumer per partition with JetStream).
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { NatsLink } from "../../../src/net/nats/client.ts";
import { durableConsumer, ensureStream } from "../../../src/net/nats/jetstream.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import type { NatsConnection } from "@nats-io/transport-node";
import { messageChunker } from "./chunker.ts";
import { readSubscriptions } from "./core_read.ts";
import { InFlight, readConsumers } from "./jetstream_read.ts";
import type { NatsInputOptions } from "./options.ts";

/** Starts a nats input; it connects on the first pull and keeps trying while the server is down. */
export function createNatsInput(options: NatsInputOptions, ctx: InputContext): InputInstance {
  const link = new NatsLink({
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    token: options.token,
    connectTimeout: options["net.connect_timeout"],
    log: ctx.log,
  });
  const subject = options.subject!;
  const subjects = options.partitions.length > 0
    ? options.partitions.map((p) => `${subject}.${p}`)
    : [subject];
  const chunker = messageChunker(ctx, options.use_payload_tag);
  const inFlight = options.stream ? new InFlight(options.ack_wait) : undefined;

  async function connection(): Promise<NatsConnection | undefined> {
    let delay = 100;
    while (!ctx.signal.aborted) {
      try {
        return await link.connection();
      } catch (e) {
        ctx.log.once(
          "warn",
          "nats-connect",
          `cannot connect to NATS at ${link.address}, retrying: ${e}`,
        );
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
    return undefined;
  }

  async function* chunks(): AsyncGenerator<Chunk> {
    const nc = await connection();
    if (!nc) return;
    if (!options.stream) {
      yield* readSubscriptions(nc, subjects, chunker, { queue: options.queue_group, ctx });
      return;
    }
    const stream = options.stream;
    const consumers = async () => {
      const c = await link.connection();
      await ensureStream(c, {
        name: stream,
        subjects: options.stream_subjects.length > 0
          ? options.stream_subjects
          : options.partitions.length > 0
          ? [`${subject}.*`]
          : [subject],
        storage: options.stream_storage,
        duplicateWindow: options.duplicate_window,
      }, ctx.log);
      return await Promise.all(subjects.map((s, i) =>
        durableConsumer(c, {
          stream,
          durable: options.partitions.length > 0
            ? `${options.durable}_${options.partitions[i]}`
            : options.durable,
          filterSubject: options.partitions.length > 0 || options.stream_subjects.length > 0
            ? s
            : undefined,
          ackWait: options.ack_wait,
          maxAckPending: options.max_ack_pending,
        })
      ));
    };
    yield* readConsumers(consumers, chunker, inFlight!, {
      batch: options.batch,
      batchBytes: options.batch_bytes,
      ctx,
    });
  }

  return {
    chunks: chunks(),
    async close() {
      // Acks of chunks the outputs are still finishing go out before the connection closes.
      const deadline = Date.now() + 5000;
      while (inFlight && inFlight.size > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      inFlight?.stop();
      await link.close();
    },
  };
}
