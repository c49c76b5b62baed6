/**
 * The nats input's option table (Fluent Bit has no nats input): core NATS subscriptions
 * with an optional queue group, or a JetStream durable consumer; optionally a set of
 * partitions `SUBJECT.<n>` of a partitioned nats output.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { natsClientOptions } from "../../../src/net/nats/options.ts";

const partitionList = (v: string[]) =>
  v.every((p) => /^(0|[1-9][0-9]{0,3})$/.test(p))
    ? undefined
    : `expected partition numbers like 0,2, got ${JSON.stringify(v.join(","))}`;

/** Every key of the nats input. */
export const natsInputOptions = {
  ...natsClientOptions,
  subject: opt.string(
    undefined,
    "Subject to subscribe to (wildcards allowed); with partitions, the prefix of SUBJECT.<n>",
    { required: true },
  ),
  partitions: {
    ...opt.list([], "Consume only these partitions, SUBJECT.<n> for each n listed (e.g. 0,2)"),
    check: partitionList,
  },
  queue_group: opt.string(undefined, "Core NATS queue group: each message goes to one member"),
  stream: opt.string(
    undefined,
    "JetStream stream to consume with a durable consumer; a message is acked once every output delivered its records",
  ),
  durable: opt.string(
    "sluice",
    "Durable consumer name (with partitions, DURABLE_<n> per partition); members sharing it share the work",
  ),
  stream_subjects: opt.list(
    [],
    "Subjects of the stream when sluice creates it (it does when missing); default: SUBJECT, or SUBJECT.* with partitions",
  ),
  stream_storage: opt.choice(
    ["file", "memory"] as const,
    "file",
    "Storage of a stream sluice creates",
  ),
  duplicate_window: opt.duration(120, "Deduplication window of a stream sluice creates"),
  ack_wait: opt.duration(
    30,
    "Consumer ack wait: a message not acked (nor marked in progress) within it is delivered again",
  ),
  max_ack_pending: opt.int(20000, "Most messages delivered and not yet acked, per consumer"),
  batch: opt.int(256, "Most messages fetched at once from a consumer"),
  batch_bytes: opt.size(
    4 * 1024 * 1024,
    "About how many payload bytes a fetch asks for (fewer messages when they are large); 0 = always batch",
  ),
  use_payload_tag: opt.bool(
    true,
    "Take each record's tag from the \"tag\" key Fluent Bit's out_nats adds (and remove the key); off: the input's tag",
  ),
} satisfies OptionTable;

/** Parsed nats input options. */
export type NatsInputOptions = OptionValues<typeof natsInputOptions>;
