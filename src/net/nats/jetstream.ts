/**
 * JetStream for the nats output and input: the stream made when missing, and a publish that
 * waits for every message's acknowledgement. A message whose acknowledgement does not come
 * fails the whole write, so the engine retries the chunk, and the messages the stream did
 * store come back with the same ids and are dropped by the stream as duplicates.
 */
import { headers, type NatsConnection } from "@nats-io/transport-node";
import {
  AckPolicy,
  type Consumer,
  DeliverPolicy,
  jetstream,
  type JetStreamClient,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { PluginLogger } from "../../plugin.ts";

/** A stream to make when it is missing. */
export interface StreamSpec {
  /** The stream's name. */
  name: string;
  /** Its subjects. */
  subjects: string[];
  /** `file` or `memory`. */
  storage: "file" | "memory";
  /** The duplicate window, seconds. */
  duplicateWindow: number;
}

/**
 * Makes the stream unless it exists (its config is then left as it is).
 *
 * @example
 * ```ts ignore
 * await ensureStream(nc, { name: "LOGS", subjects: ["logs.*"], storage: "file", duplicateWindow: 120 }, log);
 * ```
 */
export async function ensureStream(
  nc: NatsConnection,
  spec: StreamSpec,
  log: PluginLogger,
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(spec.name);
    return;
  } catch (e) {
    if (!/not found/i.test(String(e))) throw e;
  }
  try {
    await jsm.streams.add({
      name: spec.name,
      subjects: spec.subjects,
      storage: spec.storage as never,
      duplicate_window: Math.round(spec.duplicateWindow * 1e9),
    });
    log.info(`created JetStream stream ${spec.name} on ${spec.subjects.join(", ")}`);
  } catch (e) {
    // Another agent made it first.
    if (!/already in use|name already/i.test(String(e))) throw e;
  }
}

/** One message for {@link publishAll}. */
export interface Publication {
  subject: string;
  payload: Uint8Array;
  msgId?: string;
  header?: Record<string, string>;
}

/** What {@link publishAll} found: how many the stream had stored already (duplicates). */
export interface PublishResult {
  duplicates: number;
}

/** Publishes every message at once and waits for all acknowledgements; rejects on the first failure. */
export async function publishAll(
  js: JetStreamClient,
  messages: readonly Publication[],
  timeoutMs: number,
): Promise<PublishResult> {
  const acks = await Promise.all(messages.map((m) => {
    const h = m.header ? headers() : undefined;
    if (h && m.header) { for (const [k, v] of Object.entries(m.header)) h.set(k, v); }
    return js.publish(m.subject, m.payload, {
      msgID: m.msgId,
      headers: h,
      timeout: timeoutMs,
    });
  }));
  return { duplicates: acks.filter((a) => a.duplicate).length };
}

/** A JetStream client on `nc`. */
export function jetstreamOf(nc: NatsConnection): JetStreamClient {
  return jetstream(nc);
}

/** A durable pull consumer to make (or keep) on a stream. */
export interface DurableSpec {
  /** The stream. */
  stream: string;
  /** The durable name. */
  durable: string;
  /** The subject it filters on; undefined for the whole stream. */
  filterSubject?: string;
  /** Ack wait, seconds. */
  ackWait: number;
  /** Most unacked messages. */
  maxAckPending: number;
}

/**
 * The durable pull consumer `spec` names, made with explicit acks when missing (an existing
 * one keeps its config, so its position survives every restart).
 */
export async function durableConsumer(
  nc: NatsConnection,
  spec: DurableSpec,
): Promise<Consumer> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.consumers.info(spec.stream, spec.durable);
  } catch (e) {
    if (!/not found/i.test(String(e))) throw e;
    await jsm.consumers.add(spec.stream, {
      durable_name: spec.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: spec.filterSubject,
      ack_wait: Math.round(spec.ackWait * 1e9),
      max_ack_pending: spec.maxAckPending,
    });
  }
  return await jetstream(nc).consumers.get(spec.stream, spec.durable);
}
