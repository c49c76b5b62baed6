/**
 * The nats output's option table: Fluent Bit's `out_nats` keys (`host`, `port`), and what
 * sluice adds: a subject other than the tag, JetStream publishing with acknowledgements and
 * deduplication ids, and trace-aware partitioning over `SUBJECT.<n>`.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { checkSubject, natsClientOptions } from "../../../src/net/nats/options.ts";

/** `msg_id` values: a content hash, or no id. */
export const MSG_ID_MODES = ["content", "off"] as const;

/** Every key of the nats output besides the common output keys. */
export const natsOutputOptions = {
  ...natsClientOptions,
  subject: opt.string(
    undefined,
    "Subject to publish to (default: the chunk's tag, as Fluent Bit); with partitions, the prefix of SUBJECT.<n>",
    { check: checkSubject },
  ),
  partitions: opt.int(
    0,
    "Publish to SUBJECT.0 .. SUBJECT.<n-1>, each trace (logs: partition_key) on one subject by consistent hashing; 0 = off",
    { check: (v) => v >= 0 && v <= 4096 ? undefined : `expected 0-4096 partitions, got ${v}` },
  ),
  partition_key: opt.string(
    "trace_id",
    "Record accessor of a log record's partition key (a trace ID in hex hashes as the span's); records without it go by tag",
  ),
  stream: opt.string(
    undefined,
    "JetStream stream: publish with acknowledgement (a chunk is acked once the stream stored every message) and Nats-Msg-Id",
  ),
  stream_subjects: opt.list(
    [],
    "Subjects of the stream when sluice creates it (it does when missing); default: the subject, and SUBJECT.* when partitioned",
  ),
  stream_storage: opt.choice(
    ["file", "memory"] as const,
    "file",
    "Storage of a stream sluice creates",
  ),
  duplicate_window: opt.duration(
    120,
    "Deduplication window of a stream sluice creates: a message id seen within it is stored once",
  ),
  msg_id: opt.choice(
    MSG_ID_MODES,
    "content",
    "Nats-Msg-Id of JetStream messages: content (SHA-256 of subject and payload, the same on every retry) or off",
  ),
  msg_id_key: opt.string(
    undefined,
    "Record accessor of a unique event id: each record is its own message, Nats-Msg-Id = SHA-256 of subject and that value, so a record read again after a crash is stored once",
  ),
  publish_timeout: opt.duration(5, "Wait this long for a JetStream publish acknowledgement"),
} satisfies OptionTable;

/** Parsed nats output options. */
export type NatsOutputOptions = OptionValues<typeof natsOutputOptions>;
