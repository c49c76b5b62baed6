/**
 * The nats output. Core NATS as Fluent Bit's `out_nats`: one subject (the tag unless
 * `subject` says), Fluent Bit's JSON payload, no acknowledgement; unlike Fluent Bit a chunk
 * waits for a PING/PONG round trip after its messages, and a missing connection is a retry,
 * not a drop. With `stream`, JetStream: every message carries a `Nats-Msg-Id` and the chunk is
 * done only once the stream acknowledged every message. With `partitions`, each record goes to
 * `SUBJECT.<n>` by its trace ID (src/engine/partition), so one trace reaches one consumer.
 */
import { headers as natsHeaders, type NatsConnection } from "@nats-io/transport-node";
import type { JetStreamClient } from "@nats-io/jetstream";
import { RetryableError } from "../../../src/engine/errors.ts";
import { chunkKeyer, Rendezvous, splitRecords } from "../../../src/engine/partition/mod.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { NatsLink } from "../../../src/net/nats/client.ts";
import { OptionError, type OutputInstance, type PluginContext } from "../../../src/plugin.ts";
import {
  ensureStream,
  jetstreamOf,
  type Publication,
  publishAll,
} from "../../../src/net/nats/jetstream.ts";
import { compileAccessor, valueText } from "../../../src/event/record_accessor.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { messageId } from "./msg_id.ts";
import type { NatsOutputOptions } from "./options.ts";
import { encodeChunk, SIGNAL_HEADER } from "./payload.ts";

/** Room left under the server's max_payload for headers. */
const HEADER_ROOM = 512;

/** A nats output instance for parsed `options`. */
export function createNatsOutput(options: NatsOutputOptions, ctx: PluginContext): OutputInstance {
  if (options.partitions > 0 && options.subject === undefined) {
    throw new OptionError("subject", "partitions needs a subject: the prefix of SUBJECT.<n>");
  }
  if (options.stream && options.subject === undefined && options.stream_subjects.length === 0) {
    throw new OptionError(
      "stream_subjects",
      "a stream published to by tag needs stream_subjects (or set subject)",
    );
  }
  const link = new NatsLink({
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    token: options.token,
    connectTimeout: options["net.connect_timeout"],
    log: ctx.log,
  });
  const placement = options.partitions > 0
    ? new Rendezvous(Array.from({ length: options.partitions }, (_, i) => String(i)))
    : undefined;
  const keyer = chunkKeyer({ logKey: options.partition_key });
  const idKey = options.msg_id_key === undefined ? undefined : compileAccessor(options.msg_id_key);
  const oversized = ctx.metrics.counter(
    "sluice_nats_oversized_records_total",
    "Records larger than the NATS server's max_payload, left out.",
  );
  const duplicates = ctx.metrics.counter(
    "sluice_nats_duplicate_publishes_total",
    "JetStream messages the stream had already stored (a retry deduplicated by Nats-Msg-Id).",
  );
  let js: { nc: NatsConnection; client: JetStreamClient } | undefined;
  const timeoutMs = Math.max(1, Math.round(options.publish_timeout * 1000));

  async function jetstreamFor(nc: NatsConnection): Promise<JetStreamClient> {
    if (js?.nc === nc) return js.client;
    const subjects = options.stream_subjects.length > 0
      ? options.stream_subjects
      : [placement ? `${options.subject}.*` : options.subject!];
    await ensureStream(nc, {
      name: options.stream!,
      subjects,
      storage: options.stream_storage,
      duplicateWindow: options.duplicate_window,
    }, ctx.log);
    js = { nc, client: jetstreamOf(nc) };
    return js.client;
  }

  /** The chunk's messages by subject, in a fixed order. */
  async function publications(chunk: Chunk, maxBytes: number): Promise<Publication[]> {
    const subject = options.subject ?? chunk.tag;
    const groups: [string, Chunk["records"]][] = [];
    if (placement) {
      const keys = keyer(chunk);
      for (const [p, records] of splitRecords(chunk, (i) => placement.pick(keys[i]!))) {
        groups.push([`${subject}.${placement.nodes[p]}`, records]);
      }
    } else {
      groups.push([subject, chunk.records]);
    }
    const out: Publication[] = [];
    if (idKey && chunk.signal === "logs") {
      // One message a record, its id from the record's own key (the content hash without one).
      for (const [subj, records] of groups) {
        for (const r of records as LogRecord[]) {
          const [m] =
            encodeChunk(chunk, [r], { maxBytes, escapeUnicode: ctx.settings.jsonEscapeUnicode })
              .messages;
          if (!m) {
            oversized.inc({ name: ctx.name });
            continue;
          }
          const key = valueText(idKey.get(r.body));
          const msgId = key === undefined
            ? await messageId(subj, m.payload)
            : await messageId(subj, new TextEncoder().encode(key));
          out.push({ subject: subj, payload: m.payload, msgId });
        }
      }
      return out;
    }
    for (const [subj, records] of groups) {
      const enc = encodeChunk(chunk, records, {
        maxBytes,
        escapeUnicode: ctx.settings.jsonEscapeUnicode,
      });
      if (enc.oversized > 0) {
        oversized.inc({ name: ctx.name }, enc.oversized);
        ctx.log.once(
          "warn",
          "nats-oversized",
          `left out ${enc.oversized} record(s) larger than the server's max_payload ${maxBytes} bytes (further ones are counted)`,
        );
      }
      for (const m of enc.messages) {
        const header = m.signal
          ? { [SIGNAL_HEADER]: m.signal, "Content-Type": "application/x-protobuf" }
          : undefined;
        const msgId = options.stream && options.msg_id === "content"
          ? await messageId(subj, m.payload)
          : undefined;
        out.push({ subject: subj, payload: m.payload, header, msgId });
      }
    }
    return out;
  }

  return {
    async write(chunk) {
      if (chunk.records.length === 0) return;
      let nc: NatsConnection;
      try {
        nc = await link.connection();
      } catch (e) {
        throw new RetryableError(`no connection to NATS at ${link.address}: ${e}`, { cause: e });
      }
      if (!link.connected) throw new RetryableError(`reconnecting to NATS at ${link.address}`);
      const maxBytes = (nc.info?.max_payload ?? 1_048_576) - HEADER_ROOM;
      const messages = await publications(chunk, maxBytes);
      if (messages.length === 0) return;
      try {
        if (options.stream) {
          const got = await publishAll(await jetstreamFor(nc), messages, timeoutMs);
          if (got.duplicates > 0) duplicates.inc({ name: ctx.name }, got.duplicates);
          return;
        }
        for (const m of messages) {
          let h;
          if (m.header) {
            h = natsHeaders();
            for (const [k, v] of Object.entries(m.header)) h.set(k, v);
          }
          nc.publish(m.subject, m.payload, h ? { headers: h } : undefined);
        }
        await withTimeout(nc.flush(), timeoutMs);
      } catch (e) {
        throw new RetryableError(`NATS publish to ${link.address} failed: ${e}`, { cause: e });
      }
    },
    close: () => link.close(),
  };
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
