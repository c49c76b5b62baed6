/**
 * The core NATS side of the nats input: subscriptions (with a queue group when set) whose
 * messages queue up until the engine pulls, then leave as chunks. Core NATS has no
 * acknowledgement or redelivery: what arrives while sluice is down is not seen, as with any
 * core subscriber. The queue holds at most `MAX_QUEUED` messages; past that, messages are
 * dropped, counted and logged once (the engine pulls again as soon as it can).
 */
import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import type { Chunk } from "../../../src/event/chunk.ts";
import type { InputContext } from "../../../src/plugin.ts";
import type { MessageChunker } from "./chunker.ts";

/** Most messages queued between two pulls. */
export const MAX_QUEUED = 100_000;

/** Subscribes to `subjects` on `nc` and yields their messages as chunks until aborted. */
export async function* readSubscriptions(
  nc: NatsConnection,
  subjects: readonly string[],
  chunker: MessageChunker,
  options: { queue?: string; ctx: InputContext },
): AsyncGenerator<Chunk> {
  const { ctx } = options;
  const dropped = ctx.metrics.counter(
    "sluice_nats_dropped_messages_total",
    "Core NATS messages dropped because the input's queue was full.",
  );
  let queue: Msg[] = [];
  let wake: (() => void) | undefined;
  const subs: Subscription[] = subjects.map((subject) =>
    nc.subscribe(subject, {
      queue: options.queue,
      callback: (err, msg) => {
        if (err) return;
        if (queue.length >= MAX_QUEUED) {
          dropped.inc({ name: ctx.name });
          ctx.log.once(
            "warn",
            "nats-queue-full",
            "the nats input's queue is full: dropping messages",
          );
          return;
        }
        queue.push(msg);
        const w = wake;
        wake = undefined;
        w?.();
      },
    })
  );
  const onAbort = () => wake?.();
  ctx.signal.addEventListener("abort", onAbort);
  try {
    await nc.flush(); // the subscriptions are registered with the server
    while (true) {
      if (queue.length === 0) {
        if (ctx.signal.aborted) return;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const batch = queue;
      queue = [];
      const { chunks } = chunker.chunks(batch, (m) => m.data, (m) => m.headers);
      for (const { chunk } of chunks) yield chunk;
    }
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    for (const s of subs) s.unsubscribe();
  }
}
