/**
 * The `nats` output: chunks published to NATS as Fluent Bit's `out_nats` does (subject =
 * tag, a JSON array of `[time, {"tag": ..., ...record}]`), or to a JetStream stream with
 * publish acknowledgements and deduplication ids, optionally partitioned by trace ID.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { natsOutputOptions } from "./options.ts";

/** The nats output plugin definition. */
export const plugin = defineOutput({
  name: "nats",
  description: "NATS Server",
  signals: ["logs", "traces", "metrics"],
  options: natsOutputOptions,
  notes: [
    'Logs are published as Fluent Bit\'s out_nats publishes them: subject = the tag, payload = a JSON array of [time, {"tag": TAG, ...record}]. Spans and metrics go as OTLP protobuf with a Sluice-Signal header.',
    "Unlike Fluent Bit, a missing connection is retried (Fluent Bit drops the chunk), and a core NATS chunk waits for a PING/PONG round trip.",
    "With stream, each message carries Nats-Msg-Id = SHA-256 of subject and payload: a retried or replayed chunk (filesystem storage) is cut into the same messages, so the stream stores it once within duplicate_window. Records an input reads again after a crash get new times, so new ids: with msg_id_key each record is its own message whose id is its own key's value, stored once however it is re-read.",
    "With partitions, records go to SUBJECT.0 .. SUBJECT.<n-1> by rendezvous hashing of the trace ID (logs: partition_key), the same on every agent; a nats input with partitions consumes a subset.",
  ],
  example: { options: { port: "${TEST_NATS_PORT}", subject: "conformance" } },
  create: async (options, ctx) => (await import("./nats.ts")).createNatsOutput(options, ctx),
});
